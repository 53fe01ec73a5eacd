"""The error a request is answered with: an HTTP status and a message naming what is wrong."""


class RequestError(Exception):
    """A request the server refuses, answered with `status` and `{"error": message}`.

    Args:
        status: `int.` The HTTP status: 400 for a malformed request, 404 for
            an unknown model or version, 411 and 413 for a missing or too
            large body.
        message: `str.` What is wrong, naming the key, input or model.
    """

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message

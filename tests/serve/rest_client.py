"""A small HTTP client for the serving tests: JSON in, `(status, JSON)` out."""

import http.client
import json
import urllib.parse


def call(url, method, path, body=None, raw=None, headers=None, timeout=60):
    """Sends one request to the server at `url`; returns `(status, parsed JSON answer)`.

    Args:
        url: `str.` The server's address, `http://HOST:PORT`.
        method: `str.` `"GET"` or `"POST"`.
        path: `str.` The request path, e.g. `/v1/models/NAME:predict`.
        body: a JSON-serialisable request body, or `None`.
        raw: `bytes` sent as the body instead of `body`'s JSON.
        headers: `dict` of extra headers.
    """
    address = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        answer = response.read()
        assert response.getheader("Content-Type") == "application/json"
        return response.status, json.loads(answer)
    finally:
        connection.close()


def predict(url, model, body, version=None):
    """`(status, JSON)` of a `:predict` request for `model` (and `version`)."""
    path = f"/v1/models/{model}" + (f"/versions/{version}" if version else "") + ":predict"
    return call(url, "POST", path, body)

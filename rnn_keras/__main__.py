import sys

from rnn_keras.cli import main

sys.exit(main())

"""The frozen desk's entry point (PyInstaller needs a script): the same ``main`` as the console script."""

import sys

from operator_desk.app import main

if __name__ == "__main__":
    sys.exit(main())

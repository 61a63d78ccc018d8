"""Entry point of the frozen program (PyInstaller): the same as ``python -m laborstation``."""

from laborstation.cli import main

raise SystemExit(main())

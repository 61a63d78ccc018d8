from laborstation.cli import main

raise SystemExit(main())

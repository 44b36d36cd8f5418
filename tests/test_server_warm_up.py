"""The served dashboard loads the pages' slow imports at start, in the background, so the first
person's first visit of a page does not wait for them (metrics.award loads pymcdm and matplotlib)."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_importing_the_server_loads_the_slow_page_modules_in_the_background():
    code = ("import sys; import dashboard.server as s; assert s.WARM_UP.daemon; s.WARM_UP.join(120); "
            "missing = [m for m in ('pymcdm', 'matplotlib', *s.WARM_MODULES) if m not in sys.modules]; "
            "print(missing); sys.exit(1 if missing else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr

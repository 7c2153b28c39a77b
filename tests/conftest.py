import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A copy of the small fixture project, using the real templates."""
    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    shutil.copytree(ROOT / "templates", project / "templates")
    return project

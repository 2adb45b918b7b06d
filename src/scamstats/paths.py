"""Where things live. Constants only."""

from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = REPO_DIR / "datapackage"
DESCRIPTOR_NAME = "datapackage.json"
DESCRIPTOR_PATH = PACKAGE_DIR / DESCRIPTOR_NAME
BUILD_DIR = REPO_DIR / "build"
DIST_DIR = REPO_DIR / "dist"
DASHBOARD_APP = REPO_DIR / "dashboard" / "app.py"

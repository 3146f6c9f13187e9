"""The deployment files (deploy/, README "Deployment"): nginx accepts the site file filled in as the README
fills it."""

import os
import pwd
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_VALUES = {  # the README's sed command
    "@SERVERS@": "    server 127.0.0.1:8000 max_fails=1 fail_timeout=5s;",
    "@LISTEN@": "80",
    "@SERVER_NAME@": "runs.example.org",
    "@BODY_MB@": "11",
    "@ACCESS_LOG@": "/var/log/nginx/sportsrun.access.log",
}


def test_nginx_accepts_the_site_file_the_readme_installs(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if nginx is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but nginx is not installed: .ci/run installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    site = (ROOT / "deploy" / "nginx.conf.template").read_text()
    for name, value in README_VALUES.items():
        site = site.replace(name, value)
    site = site.replace("/var/log/nginx/sportsrun.access.log", str(tmp_path / "access.log"))
    (tmp_path / "sportsrun.conf").write_text(site)
    user = "user www-data www-data;\n" if os.geteuid() == 0 and _exists("www-data") else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {tmp_path}/body;\n    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/sportsrun.conf;\n}}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True

"""JupyterLab as the front door: `make kernel` registers the project's Python, `make lab` serves the notebooks.

The server test drives a real JupyterLab the way a browser does, over its REST API and the kernel's
websocket, in folders of its own (runtime, config, data, IPython) so it never touches the user's
Jupyter set-up, and it checks that no server or kernel process outlives it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

from govcases.publish.notebooks import KERNELSPEC, notebook_paths

ROOT = Path(__file__).resolve().parents[1]
STAMP = ".venv/.installed-stamp"  # never remade from a test: -o treats it as up to date

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

#: The notebook whose first cells the server runs, and how many code cells: the imports and style,
#: then govcases.load_casebook() with the table of sources it displays.
NOTEBOOK = "01-casebook-overview.ipynb"
FIRST_CELLS = 2


def _make(*args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        ["make", "--no-print-directory", "-o", STAMP, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _jupyter_env(tmp: Path) -> dict[str, str]:
    """An environment whose Jupyter and IPython folders are all under ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "GOVCASES_"))}
    env["GOVCASES_CACHE_DIR"] = str(tmp / "cache")  # the run's own, as everywhere in the tests (conftest.py)
    for var, name in (
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ):
        (tmp / name).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / name)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["JUPYTER_NO_CONFIG"] = "1"  # no system-wide or user config changes what is tested
    return env


@pytest.fixture(scope="module")
def jupyter_home(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Private Jupyter folders with the project's kernel registered by `make kernel`."""
    tmp = tmp_path_factory.mktemp("jupyter")
    env = _jupyter_env(tmp)
    _make("kernel", env=env)
    return tmp, env


def test_make_kernel_registers_the_projects_python_under_the_notebooks_kernel_name(jupyter_home):
    tmp, _ = jupyter_home
    spec = json.loads((tmp / "data" / "kernels" / KERNELSPEC["name"] / "kernel.json").read_text(encoding="utf-8"))
    # the user-level spec runs this .venv's python (not a python found on the PATH later)
    assert Path(spec["argv"][0]) == ROOT / ".venv" / "bin" / "python"
    assert spec["argv"][0] == str(ROOT / ".venv" / "bin" / "python")  # absolute, as written
    assert spec["argv"][-4:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert (spec["display_name"], spec["language"]) == (KERNELSPEC["display_name"], KERNELSPEC["language"])


def test_make_lab_registers_the_kernel_then_opens_the_notebooks_folder():
    lines = _make("-n", "lab").splitlines()
    install, lab = lines[-2], lines[-1]
    assert install.startswith(".venv/bin/python -m ipykernel install --user --name govcases ")
    assert f'--display-name "{KERNELSPEC["display_name"]}"' in install
    assert lab.split() == [".venv/bin/python", "-m", "jupyterlab", "--notebook-dir=notebooks"]


def test_every_notebook_names_the_projects_kernel():
    for path in notebook_paths():
        assert nbformat.read(path, as_version=4).metadata["kernelspec"] == KERNELSPEC, path.name


def test_readme_shows_make_lab_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make lab" in first_block


# ---------------------------------------------------------------------------- a live server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has exited; only its parent has not collected it yet
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


class _Server:
    def __init__(self, env: dict[str, str], log: Path):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--notebook-dir=notebooks",  # as `make lab`
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--ServerApp.port_retries=0",  # the port chosen, or fail
                f"--IdentityProvider.token={self.token}",
                # JupyterLab refuses root unless told; containers and this CI run as root
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown can reach every child
        )

    def request(self, method: str, path: str, body: dict | None = None):
        req = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw and "json" in resp.headers.get("Content-Type", "") else raw)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                if self.request("GET", "/api/status")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"JupyterLab did not answer within {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.request("POST", "/api/shutdown")  # shuts its kernels down too
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)


def _execute(ws, session_id: str, code: str, timeout: float = 120) -> tuple[list[dict], dict]:
    """Send one execute_request over the kernel's websocket; return its iopub outputs and its reply."""
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "channel": "shell",
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": session_id,
                    "username": "test",
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": True, "allow_stdin": False},
                "buffers": [],
            }
        )
    )
    outputs, reply, idle = [], None, False
    deadline = time.monotonic() + timeout
    while reply is None or not idle:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue  # another request's messages (the kernel's start-up status, say)
        kind = msg["msg_type"]
        if msg["channel"] == "shell" and kind == "execute_reply":
            reply = msg["content"]
        elif kind == "status":
            idle = msg["content"]["execution_state"] == "idle"
        elif kind in ("stream", "execute_result", "display_data", "error"):
            outputs.append({"output_type": kind, **msg["content"]})
    return outputs, reply


@pytest.mark.slow
def test_jupyterlab_serves_a_notebook_whose_first_cells_run_in_the_projects_kernel(jupyter_home):
    """JupyterLab started as `make lab` does runs a committed notebook's first cells as committed.

    It opens 01's session with the kernel the notebook names, runs its first code cells over the
    websocket as the browser would, compares their outputs with the committed ones, then stops the
    server: no server or kernel process is left.
    """
    from websocket import create_connection

    tmp, env = jupyter_home
    server = _Server(env, tmp / "lab.log")
    kernel_pid = None
    try:
        server.wait_ready()
        status, page = server.request("GET", "/lab")
        assert status == 200 and b"JupyterLab" in page
        _, specs = server.request("GET", "/api/kernelspecs")
        assert KERNELSPEC["name"] in specs["kernelspecs"]
        nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
        assert server.request("GET", f"/api/contents/{NOTEBOOK}?content=0")[0] == 200
        status, session = server.request(
            "POST",
            "/api/sessions",
            {"path": NOTEBOOK, "type": "notebook", "name": NOTEBOOK, "kernel": {"name": nb.metadata.kernelspec.name}},
        )
        assert status == 201 and session["kernel"]["name"] == KERNELSPEC["name"]
        ws = create_connection(
            f"ws://127.0.0.1:{server.port}/api/kernels/{session['kernel']['id']}/channels?session_id={session['id']}",
            header=[f"Authorization: token {server.token}"],
            timeout=120,
        )
        try:
            probe, reply = _execute(
                ws, session["id"], "import os, sys\nprint(os.getpid(), sys.executable, os.getcwd())"
            )
            assert reply["status"] == "ok", reply
            pid, executable, cwd = probe[0]["text"].split()
            kernel_pid = int(pid)
            assert (Path(executable), Path(cwd)) == (ROOT / ".venv" / "bin" / "python", ROOT / "notebooks")
            cells = [c for c in nb.cells if c.cell_type == "code"][:FIRST_CELLS]
            assert "govcases.load_casebook()" in cells[-1].source
            for cell in cells:
                outputs, reply = _execute(ws, session["id"], cell.source)
                assert reply["status"] == "ok", (cell.source, reply)
                got = [(o["output_type"], o.get("text"), o.get("data", {}).get("text/plain")) for o in outputs]
                want = [(o.output_type, o.get("text"), o.get("data", {}).get("text/plain")) for o in cell.outputs]
                assert got == want, cell.source
        finally:
            ws.close()
    finally:
        server.stop()
    assert server.proc.returncode is not None
    assert kernel_pid is not None and not _alive(kernel_pid), "the kernel outlived the server"
    # the server removed its runtime files; nothing of it remains in the private runtime folder
    assert not list((tmp / "runtime").glob("jpserver-*")), list((tmp / "runtime").iterdir())

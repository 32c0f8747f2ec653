import subprocess
import sys

import pytest

from bench.servers import MissingTool, Processes, require, wait_until


def test_require_names_each_missing_tool_and_the_command_that_installs_it():
    with pytest.raises(MissingTool) as missing:
        require("sh", "bonehealth-no-such-tool", "wrk-no-such-tool")
    message = str(missing.value)
    assert message.startswith("bonehealth-no-such-tool, wrk-no-such-tool not found")
    assert "sudo apt-get install bonehealth-no-such-tool wrk-no-such-tool" in message
    assert "make bench" in message


def test_require_returns_the_path_of_each_tool_found():
    assert require("sh")["sh"].endswith("/sh")


def test_stop_all_ends_every_server_and_its_children(tmp_path):
    procs = Processes(tmp_path)
    # A server that starts a worker, as gunicorn does: stopping its process group must end both.
    server = (
        "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        "print('worker started', flush=True); time.sleep(60)"
    )
    parent = procs.start("server", [sys.executable, "-c", server])
    other = procs.start("other", [sys.executable, "-c", "import time; time.sleep(60)"])
    wait_until(lambda: "worker started" in (tmp_path / "server.log").read_text(), timeout=10, what="worker started")

    procs.stop_all()

    assert parent.poll() is not None and other.poll() is not None
    in_group = ["pgrep", "-g", str(parent.pid)]
    wait_until(lambda: subprocess.run(in_group, capture_output=True).returncode == 1, timeout=5, what="worker gone")
    assert procs.running == []

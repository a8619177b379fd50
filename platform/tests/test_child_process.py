"""die_with_parent: a child whose parent is already gone exits at once; one whose parent lives goes on."""

import os
import subprocess
import sys

CHILD = """
import sys
from mesh_platform.child_process import die_with_parent
die_with_parent(int(sys.argv[1]))
print("alive")
"""


def test_a_child_of_the_expected_parent_goes_on():
    result = subprocess.run([sys.executable, "-c", CHILD, str(os.getpid())], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "alive\n")


def test_a_child_whose_parent_is_not_the_expected_one_exits_at_once():
    # the expected parent died before the child armed its death signal: the child is someone else's now
    result = subprocess.run([sys.executable, "-c", CHILD, str(os.getpid() + 100000)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")

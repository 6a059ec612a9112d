"""The commit-msg hook (.githooks/commit-msg) holds messages to CONTRIBUTING.md's rule.

usage: python3 tests/test_hooks.py"""

import pathlib
import subprocess
import tempfile
import unittest

HOOK = pathlib.Path(__file__).resolve().parent.parent / ".githooks" / "commit-msg"


def verdict(message):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write(message)
    ran = subprocess.run([str(HOOK), file.name], capture_output=True, text=True, check=False)
    pathlib.Path(file.name).unlink()
    return ran.returncode, ran.stderr


class CommitMessageTest(unittest.TestCase):
    def test_a_short_subject_and_a_body_pass(self):
        self.assertEqual(verdict("Keep the mail queues with the stack\n\nWhy it matters.\n")[0], 0)

    def test_a_subject_of_72_characters_is_refused(self):
        code, said = verdict("x" * 72 + "\n")
        self.assertEqual(code, 1)
        self.assertIn("72 characters", said)

    def test_a_body_glued_to_the_subject_is_refused(self):
        code, said = verdict("Keep the queues\nbecause emails wait there\n")
        self.assertEqual(code, 1)
        self.assertIn("blank line", said)

    def test_git_comments_do_not_count(self):
        self.assertEqual(verdict("# Please enter the commit message\nKeep the queues\n")[0], 0)

    def test_an_empty_message_is_refused(self):
        self.assertEqual(verdict("# only a comment\n")[0], 1)


if __name__ == "__main__":
    unittest.main()

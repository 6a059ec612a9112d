"""tests/bench_report.py renders BENCHMARKS.md's tables from BENCHMARKS.json, and its check fails
on a table that no longer says what the results do."""

import json
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import bench_report  # noqa: E402


class Tables(unittest.TestCase):
    def setUp(self):
        self.document = bench_report.DOCUMENT.read_text()
        self.results = json.loads(bench_report.RESULTS.read_text())

    def test_the_committed_tables_are_what_the_committed_results_render(self):
        self.assertEqual(bench_report.rendered(self.document, self.results), self.document)

    def test_a_changed_figure_changes_the_tables(self):
        changed = json.loads(json.dumps(self.results))
        changed["spike"]["signs_per_s"] += 1
        self.assertNotEqual(bench_report.rendered(self.document, changed), self.document)

    def test_a_table_edited_by_hand_is_found(self):
        edited = self.document.replace("| spike: errors | 0 |", "| spike: errors | 1 |")
        self.assertNotEqual(edited, self.document, "the budget table shows the spike's errors")
        self.assertNotEqual(bench_report.rendered(edited, self.results), edited)

    def test_a_section_left_open_or_unknown_is_refused(self):
        with self.assertRaises(SystemExit):
            bench_report.sections_sound(self.document.replace("<!-- end: spike -->", ""))
        with self.assertRaises(SystemExit):
            bench_report.sections_sound(self.document + "\n<!-- generated: nowhere -->\n<!-- end: nowhere -->\n")
        bench_report.sections_sound(self.document)

    def test_a_figure_over_its_budget_is_marked_missed(self):
        over = json.loads(json.dumps(self.results))
        over["wcu"]["per_signature"] = over["wcu"]["budget"] + 1
        self.assertIn("**missed**", bench_report.render_table(bench_report.budget_rows(over)))


if __name__ == "__main__":
    unittest.main()

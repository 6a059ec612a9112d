"""tests/bench_report.py renders BENCHMARKS.md's tables from BENCHMARKS.json, and its check fails
on a table that no longer says what the results do."""

import json
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import bench_report


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

    def test_the_map_page_is_a_budget_row_and_a_third_party_file_misses_it(self):
        home = {"shared_bytes": 9000, "html_bytes": {"en": 9000}, "total_bytes": {"en": 18000},
                "files_fetched": 9, "from_another_host": 0,
                "map": {"total_bytes": {"en": 53000, "uk": 53800}, "from_another_host": 0}}
        rows = bench_report.budget_rows({"home_page": home})
        self.assertEqual([row[4] for row in rows], [True, True])
        self.assertIn("53.0–53.8 KB", bench_report.render_table(rows, verdicts=True))
        elsewhere = dict(home, map=dict(home["map"], from_another_host=1))
        self.assertEqual([row[4] for row in bench_report.budget_rows({"home_page": elsewhere})], [True, False])
        self.assertIn("53,800 bytes", bench_report.home_page_table({"home_page": home}))

    def test_mail_sent_to_the_failure_queue_on_a_spent_quota_is_marked_missed(self):
        day = {"sent_day_1": 50000, "sent_day_2": 29990, "to_failure_queue": 10, "lost": 10,
               "signers": 80000, "daily_quota": 50000, "rate": 14, "last_sent_h": 24.8}
        rows = bench_report.budget_rows({"mail": {"daily_quota": day}})
        self.assertEqual([row[-1] for row in rows], [False, False])
        self.assertIn("10 / 10", bench_report.render_table(rows))


class SignTiming(unittest.TestCase):
    def part(self, lambda_accuracy, local_accuracy):
        outcomes = {o: {"p50_ms": 53.3, "p99_ms": 56.3} for o in ("new", "confirmed", "bot")}
        return {"per_outcome": 2000, "budget": 0.55,
                "lambda": {"outcomes": outcomes, "max_accuracy": lambda_accuracy, "worst_pair": ["new", "bot"]},
                "local": {"outcomes": outcomes, "max_accuracy": local_accuracy, "worst_pair": ["confirmed", "bot"]}}

    def test_a_launch_slowed_by_an_update_is_marked_missed(self):
        update = {"quota_per_s": 200, "update_signers": 100000, "p99_s": 489.1, "alone_p99_s": 489.1,
                  "p99_ratio": 1.0, "update_sent_during_launch": 0, "update_done_after_s": 4129.0,
                  "update_sent": 100000}
        rows = bench_report.budget_rows({"mail": {"with_update": update}})
        self.assertEqual([row[4] for row in rows], [True, True])
        slowed = dict(update, p99_s=600.0, p99_ratio=1.23, update_sent_during_launch=12)
        rows = bench_report.budget_rows({"mail": {"with_update": slowed}})
        self.assertEqual([row[4] for row in rows], [False, False])

    def test_the_worse_path_decides_and_both_are_shown(self):
        timing = bench_report.sign_timing(self.part(0.52, 0.61))
        self.assertEqual((timing["max_accuracy"], timing["worst"]["path"]), (0.61, "local"))
        rows = bench_report.budget_rows({"privacy": {"sign_timing": timing}})
        self.assertEqual(rows[0][4], False)
        table = bench_report.privacy_table({"privacy": {"sign_timing": timing}})
        self.assertIn("| confirmed | 53.3 / 56.3 ms | 53.3 / 56.3 ms |", table)
        self.assertIn("0.520 (new / bot) | 0.610 (confirmed / bot) |", table)

    def test_outcomes_told_apart_no_better_than_the_budget_meet_it(self):
        timing = bench_report.sign_timing(self.part(0.52, 0.55))
        self.assertEqual(bench_report.budget_rows({"privacy": {"sign_timing": timing}})[0][4], True)


class Durations(unittest.TestCase):
    def test_each_part_and_the_test_run_are_rendered_with_their_sums(self):
        with tempfile.TemporaryDirectory() as out:
            (pathlib.Path(out) / "timing.tsv").write_text("98\tthe handlers\n492\tthe functions\n")
            measured = bench_report.durations(out)
        self.assertEqual([p["seconds"] for p in measured["bench_parts"]], [98, 492])
        measured["test_run"] = {"commit": "abc1234", "passed": 270, "total_s": 808, "sam_build_s": 490}
        table = bench_report.durations_table({"durations": measured})
        for line in ("| tests/bench: the functions | 492 s |", "| **tests/bench**, builds included | **590 s** |",
                     "| tests/run: every other stage | 318 s |", "| **tests/run**, 270 tests | **808 s** |"):
            self.assertIn(line, table)

    def test_a_bench_without_a_test_run_before_it_says_so(self):
        table = bench_report.durations_table({"durations": {"bench_parts": [], "test_run": None}})
        self.assertIn("not run in this clone before the bench", table)


class Sizes(unittest.TestCase):
    """tests/run holds each bootstrap sam build made to its function's budget."""

    FUNCTIONS = ("sign", "mail-queue", "publish", "organisations")

    def sizes(self, **overrides):
        sizes = {"sign": 5_900_000, "mail-queue": 4_500_000, "publish": 7_300_000, "organisations": 5_600_000}
        sizes.update({k.replace("_", "-"): v for k, v in overrides.items()})
        return sizes

    def test_a_build_within_its_budgets_passes(self):
        self.assertEqual(bench_report.size_faults(self.sizes(), self.FUNCTIONS), [])

    def test_a_function_over_six_megabytes_fails(self):
        faults = bench_report.size_faults(self.sizes(sign=6_000_001), self.FUNCTIONS)
        self.assertEqual(faults, ["sign: 6,000,001 bytes, over 6,000,000"])

    def test_publish_has_a_budget_of_its_own(self):
        self.assertEqual(bench_report.size_faults(self.sizes(publish=7_999_999), self.FUNCTIONS), [])
        self.assertTrue(bench_report.size_faults(self.sizes(publish=8_000_001), self.FUNCTIONS))

    def test_a_function_sam_did_not_build_fails(self):
        sizes = self.sizes()
        del sizes["mail-queue"]
        self.assertEqual(bench_report.size_faults(sizes, self.FUNCTIONS), ["mail-queue: not built"])

    def test_the_names_are_read_from_sam_builds_directories(self):
        with tempfile.TemporaryDirectory() as build:
            for resource, size in [("MailQueueFunction", 3), ("SignFunction", 5)]:
                (pathlib.Path(build) / resource).mkdir()
                (pathlib.Path(build) / resource / "bootstrap").write_bytes(b"x" * size)
            self.assertEqual(bench_report.built_sizes(build), {"mail-queue": 3, "sign": 5})


if __name__ == "__main__":
    unittest.main()

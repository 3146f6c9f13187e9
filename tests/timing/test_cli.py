"""`sportsrun import-results` on the timing company's laptop."""

from tests.support import count, token_headers, xlsx
from tests.test_cli import run
from tests.timing.support import race_with_runners, results


async def test_import_results_from_the_command_line(client, tmp_path):
    race = await race_with_runners(client, await token_headers(client, "organiser"), 3)
    sheet = tmp_path / "finish.xlsx"
    sheet.write_bytes(xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"], [3, "DNF"]]))
    dry = run("import-results", str(race["id"]), str(sheet), "--dry-run")
    assert dry.returncode == 0 and "would import 3 rows: 2 finishers, 1 DNF" in dry.stdout
    assert await count("result") == 0
    done = run("import-results", str(race["id"]), str(sheet))
    assert done.returncode == 0, done.stderr
    assert "imported 3 rows" in done.stdout and "checking rows" in done.stderr and "writing results" in done.stderr
    assert (await results(race["id"]))[1]["place"] == 1
    again = run("import-results", str(race["id"]), str(sheet))
    assert "unchanged" in again.stdout


async def test_row_errors_on_the_command_line(client, tmp_path):
    race = await race_with_runners(client, await token_headers(client, "organiser"), 1)
    sheet = tmp_path / "bad.xlsx"
    sheet.write_bytes(xlsx([["Bib", "Time"], [1, "soon"], [42, "0:40:00"]]))
    r = run("import-results", str(race["id"]), str(sheet), "--mode", "merge")
    assert r.returncode == 1
    assert "row 2, column Time: The time could not be read" in r.stderr
    assert "row 3, column Bib: No runner holds bib 42" in r.stderr
    missing = run("import-results", str(race["id"]), str(tmp_path / "nope.xlsx"))
    assert missing.returncode == 1 and "No such file" in missing.stderr


async def test_the_summary_gets_a_line_of_its_own_on_a_terminal(client, tmp_path):
    """The bar is drawn over itself on a terminal and cleared before the summary; a log gets plain lines."""
    import os
    import pty
    import subprocess

    from tests.test_cli import SPORTSRUN

    race = await race_with_runners(client, await token_headers(client, "organiser"), 3)
    sheet = tmp_path / "finish.xlsx"
    sheet.write_bytes(xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"], [3, "0:42:00"]]))
    parent, child = pty.openpty()
    proc = subprocess.Popen([SPORTSRUN, "import-results", str(race["id"]), str(sheet), "--dry-run"],
                            stdout=child, stderr=child, close_fds=True)  # fmt: skip
    os.close(child)
    screen = b""
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(60) == 0
    os.close(parent)
    text = screen.decode()
    assert "] checking rows 3/3" in text and "\r\x1b[2Kwould import 3 rows" in text, repr(text)
    logged = run("import-results", str(race["id"]), str(sheet), "--dry-run")
    assert "\r" not in logged.stderr and logged.stderr.splitlines()[:2] == ["reading the file", "checking rows"]

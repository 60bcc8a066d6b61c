from tests.conftest import run_moneyprinter


def test_accounts_roundtrip_via_cli(cli):
    assert cli("accounts", "add", "youtube", "space", "--topic", "space facts").exit_code == 0
    result = cli("accounts", "list")
    assert "space facts" in result.output


def test_duplicate_nickname_is_one_line_error(cli):
    cli("accounts", "add", "x", "bob", "--topic", "ai")
    result = cli("accounts", "add", "x", "bob")
    assert result.exit_code == 2
    assert "an X account named 'bob' already exists" in result.output


def test_python_dash_m_runs(home):
    proc = run_moneyprinter("--version")
    assert proc.returncode == 0 and "moneyprinter" in proc.stdout

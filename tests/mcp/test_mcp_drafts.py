"""edit_item over MCP on a script-only Short draft: a sentence, the whole script, title and tags, with
the quality gate's reasons in the answer; a refused edit is the CLI's line and changes nothing."""

from __future__ import annotations

import anyio

from moneyprinter.store import content
from tests.mcp.conftest import data, error_text, mcp_session
from tests.shorts.conftest import model_server  # noqa: F401 - the local model server the Shorts tests use
from tests.tasks.conftest import script_app  # noqa: F401
from tests.web.test_drafts import make_draft


def test_edit_item_edits_a_script_only_draft_and_the_gate_checks_it(script_app):  # noqa: F811
    item_id = make_draft(script_app)

    async def session():
        async with mcp_session() as (mcp, _):
            meta = data(await mcp.call_tool("edit_item", {"item_id": item_id, "part": 2,
                                                          "text": "This sentence should only appear once."}))
            assert meta["sentences"][1] == "This sentence should only appear once."
            assert any("meta talk" in reason for reason in meta["reasons"]) and meta["status"] == "draft"
            assert f"/api/v1/shorts/{item_id}/resume" in meta["next"]
            wrong = await mcp.call_tool("edit_item", {"item_id": item_id, "part": 99, "text": "Octopuses."})
            assert f"error: Short {item_id} has sentences 1 to" in error_text(wrong) and "not 99" in error_text(wrong)
            tags = await mcp.call_tool("edit_item", {"item_id": item_id, "tags": "the, and"})
            assert "error: tags that say nothing: the, and" in error_text(tags)
            script = "Octopuses hide in plain sight. They change colour in a blink. Follow for more ocean facts."
            whole = data(await mcp.call_tool("edit_item", {"item_id": item_id, "text": script, "title": "Octopus Magic",
                                                           "tags": "octopus, camouflage"}))
            assert whole["sentences"] == ["Octopuses hide in plain sight.", "They change colour in a blink.",
                                          "Follow for more ocean facts."]
            assert whole["title"] == "Octopus Magic" and whole["metadata"]["tags"] == ["octopus", "camouflage"]

    anyio.run(session)
    item = content.get_item(script_app.db, item_id)
    assert item.title == "Octopus Magic" and item.body.startswith("Octopuses hide in plain sight.")

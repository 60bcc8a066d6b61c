"""The bundled music library: mood, no repeats across an account's recent Shorts, seamless loops, user songs."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from moneyprinter.media import music
from moneyprinter.providers.tts import write_wav
from moneyprinter.shorts import stages
from moneyprinter.store import content
from moneyprinter.store.accounts import add_account


def read_wav(path):
    with wave.open(str(path)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), np.int16).reshape(-1, w.getnchannels())
        return data.astype(np.float32) / 32768, w.getframerate()


def test_the_library_is_installed_with_its_licence():
    tracks = music.library_tracks()
    assert set(tracks) == set(music.MOODS) and sum(len(t) for t in tracks.values()) == 28
    assert (music.library_dir().parent.parent / "immich_memories_music-0.1.0.dist-info" / "licenses" / "LICENSE-MUSIC").exists() \
        or any(music.library_dir().parent.parent.glob("immich_memories_music-*.dist-info/licenses/LICENSE-MUSIC"))


@pytest.mark.parametrize(("script", "niche", "mood"), [
    ("The empire fell and its ancient kings were forgotten.", "history", "nostalgic"),
    ("This workout is insane: fast and powerful.", "fitness", "energetic"),
    ("Octopuses change colour in a second.", "surprising science facts", "happy"),
    ("Nothing here says anything about a feeling.", "astronomy", "calm"),
])
def test_mood_from_the_script_or_the_niche(script, niche, mood):
    assert music.mood_for(script, niche) == mood


def test_seams_are_crossfaded_not_clicked():
    rate = 8000
    t = np.arange(int(1.37 * rate)) / rate  # 1.37 s of 220 Hz: the cycle does not end where it starts
    tone = (0.8 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[:, None].repeat(2, axis=1)
    plain = np.tile(tone, (3, 1))
    looped = music.loop_to(tone, len(plain), rate, crossfade_s=0.2, fade_out_s=0.01)
    largest_step = float(np.abs(np.diff(tone[:, 0])).max())
    seam = len(tone)
    assert abs(plain[seam, 0] - plain[seam - 1, 0]) > 2 * largest_step  # a plain repeat clicks
    assert float(np.abs(np.diff(looped[: -int(0.02 * rate), 0])).max()) <= largest_step * 1.5  # the loop does not


def test_a_library_track_is_prepared_to_the_voice_length_seamlessly(tmp_path):
    track = music.library_tracks()["calm"][0]
    out = music.prepare_track(track, tmp_path / "music.wav", 70.0)  # longer than the track: it loops
    samples, rate = read_wav(out)
    assert rate == 48000 and samples.shape[1] == 2 and abs(len(samples) / rate - 70.0) < 0.01
    source_len = len(music.decode(track))
    seam = samples[source_len - 2000: source_len + 2000, 0]
    elsewhere = samples[rate * 5: rate * 25, 0]
    assert np.abs(np.diff(seam)).max() <= np.abs(np.diff(elsewhere)).max() * 1.2
    assert np.abs(samples[-100:]).max() < 0.01  # faded out


def test_no_track_repeats_within_the_last_n_shorts(tmp_path):
    recent: list[str] = []
    for _ in range(5):
        pick = music.pick_library_track("calm", recent, seed="same topic")
        assert music.track_id(pick) not in recent
        recent.insert(0, music.track_id(pick))
    sixth = music.pick_library_track("calm", recent, seed="same topic")  # calm is used up: another mood
    assert sixth.parent.name != "calm"
    everything = [music.track_id(t) for ts in music.library_tracks().values() for t in ts]
    oldest = music.pick_library_track("calm", everything, seed="x")
    assert music.track_id(oldest) == everything[-1]  # all used: the one used longest ago


def test_the_music_stage_records_the_track_and_avoids_the_accounts_recent_ones(shorts_app, tmp_path):
    account = add_account(shorts_app.db, "youtube", "calm", topic="relaxing nature sounds")
    calm = [music.track_id(t) for t in music.library_tracks()["calm"]]
    for track in calm[:4]:  # four earlier Shorts of this account used four of the five calm tracks
        content.create_item(shorts_app.db, account.id, "short", metadata={"music_track": track})
    item = content.create_item(shorts_app.db, account.id, "short")
    work = tmp_path / "w"
    work.mkdir()
    (work / "topic.txt").write_text("Forest sounds")
    (work / "script.txt").write_text("The forest is quiet at night. Slow rivers calm the mind.")
    write_wav(work / "voice.wav", np.zeros(16000 * 3, np.int16), 16000)
    (work / "voice.json").write_text('{"wav": "voice.wav", "duration": 3.0, "sentences": []}')
    job = stages.ShortJob(shorts_app, account, item.id, work, "9:16")
    shorts_app.settings.shorts.music = "library"
    note = stages.stage_music(job)
    chosen = content.get_item(shorts_app.db, item.id).metadata["music_track"]
    assert chosen == calm[4] and chosen in note and "(calm)" in note
    assert abs(read_wav(work / "music.wav")[0].shape[0] / 48000 - 3.0) < 0.01


def test_the_users_own_songs_still_work(shorts_app, tmp_path, home):
    songs = home / "songs"
    songs.mkdir(parents=True, exist_ok=True)
    write_wav(songs / "mine.wav", (np.sin(np.arange(44100) / 10) * 8000).astype(np.int16), 44100)
    account = add_account(shorts_app.db, "youtube", "own", topic="cooking")
    item = content.create_item(shorts_app.db, account.id, "short")
    work = tmp_path / "w"
    work.mkdir()
    (work / "topic.txt").write_text("Pasta")
    write_wav(work / "voice.wav", np.zeros(16000 * 2, np.int16), 16000)
    (work / "voice.json").write_text('{"wav": "voice.wav", "duration": 2.5, "sentences": []}')
    shorts_app.settings.shorts.music = "songs"
    assert stages.stage_music(stages.ShortJob(shorts_app, account, item.id, work, "9:16")) == "mine.wav"
    samples, rate = read_wav(work / "music.wav")
    assert abs(len(samples) / rate - 2.5) < 0.01 and np.abs(samples).max() > 0.05

"""What bad model text looks like, sentence by sentence: shared by the cleanup (which drops such
sentences) and the quality gate (which rejects a text that still has one).

Every pattern here was seen in answers of the bundled SmolLM2-135M or of instruction-tuned cloud models.
"""

from __future__ import annotations

import re

_ABOUT = (
    r"(?:tweet|post|thread|pitch|caption|response|version|recommendation|script|title|review|sample|example|"
    r"description|summary|answer|narration|video script|hashtags?)s?"
)

# What the instructions speak of, so a sentence about one of them restates a rule ("Each fact must ...").
_RULE_SUBJECTS = r"(?:sentences?|facts?|posts?|tweets?|scripts?|lines?|answers?|texts?|words?|hashtags?|paragraphs?|outputs?)"

# Talk about the text instead of the text: "Sure", "Here's a tweet", "As an AI", "Your post will be titled".
META_TALK = re.compile(
    r"^\W*(?:sure|certainly|absolutely|of course|okay|ok)\s*[!,.]"
    rf"|\b(?:here(?:'s| is| are)|below is|this is)\s+(?:a|an|the|your|my|some|one|two|three|another)\b[^.!?\n]{{0,60}}?\b{_ABOUT}\b"
    r"|\bas an? (?:ai|language model|assistant)\b|\bi(?:'m| am) an? (?:ai|language model|assistant)\b"
    rf"|\byour {_ABOUT} (?:will|would|should|could|is|are)\b"
    r"|\bsays? the user\b|\bthe user (?:wants|asked|says|said)\b|\bthe prompt\b"
    rf"|\blet(?:'s| us) (?:write|create|craft|make|draft)\b|\bi(?:'ll| will) (?:write|create|craft|draft)\b"
    r"|\b(?:i hope (?:this|you)|feel free to|let me know if)\b"
    r"|\byour (?:message|request|question|writing|prompt|instructions?)\b"
    r"|\bi (?:just )?want(?:ed)? to share\b|\bshare\b[^.!?]{0,30}\bwith you\b|\byou can share an?\b|\bin bold(?: text)?\b"
    r"|\byour (?:post|tweet|thread|script)\b|\bhere it goes\b|\b(?:one )?idea i would\b"
    r"|\bcontinue (?:this|the) (?:story|script|post)\b|\bthe next sentence\b|\byou(?:'re| are) welcome\b"
    r"|\bthanks? (?:you )?for reading\b|\bmy latest (?:article|post|blog)\b"
    r"|\byou(?:'re| are) asked to\b|\bwrite \d+ (?:sentences|posts|words)\b|\bwithin each sentence\b"
    r"|\b(?:detailed|actionable) message\b|^\W*(?:one idea|for example|sentence|output|input|answer|example|response)\s*:"
    r"|\bwith the words\b|\bhello (?:friends|everyone|all)\b|\bhey,? (?:everyone|friends|guys)\b"
    r"|\ba (?:post|tweet|thread) (?:about|on|for)\b|\b(?:on|for) x\b(?! ?-?ray)|\bx \(twitter\)"
    r"|^\W*(?:share|write|post|create|make)\s+(?:a|an|one)\s+(?:\w+\s+){0,3}(?:tip|post|tweet|idea|fact)\b"
    r"|\b(?:character|word) count\b|\(\s*\d+\s*(?:characters?|words?)\s*\)"
    r"|^\W*(?:title|hashtags?|note|caption|tweet|post)\s*:"
    # The rules the model was given, restated as content: "This sentence should only appear once."
    rf"|\b(?:this|that|each|every|the|any|no|your)\s+(?:{_RULE_SUBJECTS})\s+(?:should|must|will|may|can|cannot|shall)"
    r"(?:\s+(?:only|not|never|always|be))\b"
    r"|\b(?:do not|don't|never) repeat\b|\bas (?:you )?requested\b"
    rf"|\bin this (?:{_ABOUT}|video|thread|article)\b,?\s+(?:i|we)(?:'ll| will| am going to|'m going to| want to)\b"
    rf"|\bthe following (?:{_RULE_SUBJECTS}|tips?|steps?|points?|list|ideas?)\b|^\W*the following\s*:"
    rf"|\b(?:this|that|the|my) {_ABOUT} (?:was|is) (?:about|on)\b|\(\s*insert\b|\[\s*insert\b"
    r"|\bi would like to share\b|\bone tip i\b"
    r"|^\W*@\w+\s*:"  # a reply to an account the model made up
    r"|\byour (?:response|answer|reply|output)\b|\bbullet points?\b|\bpostscript\b",
    re.IGNORECASE,
)

# A first-person announcement of an event the model made up: "I'm thrilled to announce ... webinar".
FABRICATED_EVENT = re.compile(
    r"\b(?:i(?:'m| am)|we(?:'re| are))\s+(?:so\s+|very\s+|really\s+)?"
    r"(?:thrilled|excited|honou?red|delighted|proud|happy|pleased)\s+to\b"
    r"|\b(?:join|meet|see)\s+(?:me|us)\s+(?:at|in|on|for|live)\b"
    r"|\b(?:i|we)(?:'ll| will| am| are|'m|'re)\s+(?:be\s+)?(?:speaking|hosting|delivering|presenting|giving|launching|"
    r"attending|running|holding|announcing|releasing)\b"
    r"|\b(?:my|our)\s+(?:new|upcoming|next|latest|free)\s+(?:book|course|webinar|podcast|event|talk|workshop|"
    r"masterclass|ebook|newsletter|launch)\b"
    r"|\bwebinar\b|\b(?:register|sign up|rsvp)\s+(?:now|today|here|below|at)\b"
    r"|\bi(?:'m| am) (?:announcing|launching)\b|\b(?:i|we) (?:just )?(?:announced|launched)\b"
    r"|\b(?:we|i)\s+(?:offer|give|ship)\b|\b\d+\s?%\s+off\b|\b(?:promo|discount|coupon)\s+code\b"
    r"|\bi (?:recently |just )?had the (?:opportunity|chance|pleasure|honou?r)\b|\bi(?:'m| am) planning my\b"
    r"|\b(?:a|my|our) (?:post|video|talk|interview) on (?:instagram|facebook|tiktok|youtube|linkedin|x)\b"
    r"|\b(?:a|my|our) recent (?:project|trip|talk|event|collaboration|visit|interview)\b"
    r"|\bi (?:recently|just) (?:came across|met|visited|launched|started|finished)\b"
    r"|\b(?:i|we)(?:'m| am|'re| are|'ve| have)\s+(?:on|part of|running|joined|dedicated)\b[^.!?]{0,40}"
    r"\b(?:campaign|team|challenge|followers)\b",
    re.IGNORECASE,
)

# A first-person story: a small model makes these up ("Last week I met a farmer who ...").
_PAST = (r"(?:met|saw|went|spent|had|took|made|found|got|came|told|taught|ran|ate|bought|heard|learned|learnt|"
         r"thought|tried|visited|started|decided|moved|lived|grew|baked|cooked|asked|watched|read|wrote|\w+ed)")
_WHEN = (r"(?:yesterday|last night|this morning|the other day|once|recently|a (?:few|couple of) (?:days|weeks|months|years) ago|"
         r"(?:\w+ )?(?:days|weeks|months|years) ago|(?:last|this past) (?:week|weekend|month|year|summer|winter|spring|"
         r"fall|autumn|night|time))")
_KIN = (r"(?:grand(?:mother|father|ma|pa|parents)|mom|mum|mother|dad|father|parents|neighbou?r|friend|wife|husband|son|"
        r"daughter|sister|brother|uncle|aunt|boss|partner|cousin|kids?|teacher|coach)")
FIRST_PERSON_STORY = re.compile(
    rf"\b{_WHEN}\b,?\s+(?:\w+\s+){{0,2}}(?:i|we)\s+(?:\w+\s+)?{_PAST}\b"
    rf"|\b(?:i|we)\s+(?:\w+\s+){{0,5}}{_WHEN}\b(?!\s+(?:the|a|an)\b)"
    r"|\bwhen (?:i|we) (?:was|were) (?:a |an |still )?(?:kid|child|young|little|boy|girl|teen|teenager|student|younger|"
    r"baby|\d+)\b"
    r"|\bi (?:once|recently|finally|first) \w+|\bi remember (?:the day|when|my|how|the time|being)\b"
    rf"|\bmy {_KIN}\b[^.!?]{{0,30}}\b(?:once|used to|told|taught|showed|asked|said|gave|made|baked|took|always)\b"
    r"|\b(?:i|we) (?:met|visited|went to|spent (?:a|the|my|our)|saw a|talked to|spoke (?:to|with))\b"
    r"|\bfor (?:me|us),? it (?:all )?(?:started|began)\b|\b(?:this|that) experience (?:will|has|had|was)\b",
    re.IGNORECASE,
)

# A sentence that points at something that is not there: "Download the free chart at today.", "Read more:".
DANGLING_POINTER = re.compile(
    r"\b(?:at|on|via|from|visit|here|below|link)\s*[:.!]?\s*(?:today|now|here)?\s*[.!]?\s*$"
    r"|^\W*(?:read more|learn more|more info|details|link|source|download|click here|check it out|shop now)\W*$"
    r"|:\s*$",
    re.IGNORECASE,
)
# Words that make a sentence point at a link or file: only then is a dangling end a defect.
POINTS_AT = re.compile(
    r"\b(?:download|visit|read|click|check|see|find|get|grab|link|watch|shop|buy|order|learn|sign up|register)\b",
    re.IGNORECASE,
)

# A template slot the model did not fill in: "[address]", "[Your Name]", "[link]".
PLACEHOLDER = re.compile(r"\[[A-Za-z][\w .'-]{0,30}\]|\{[A-Za-z_][\w ]{0,30}\}|<[A-Z][\w ]{0,30}>")


def is_meta(sentence: str) -> bool:
    return bool(META_TALK.search(sentence))


def is_fabricated_event(sentence: str) -> bool:
    return bool(FABRICATED_EVENT.search(sentence))


def is_first_person_story(sentence: str) -> bool:
    return bool(FIRST_PERSON_STORY.search(sentence))


def is_dangling_pointer(sentence: str) -> bool:
    """'Download the free chart at today.' and a bare 'Read more:' point at nothing."""
    stripped = sentence.strip()
    if re.fullmatch(r"\W*(?:read more|learn more|more info|details|link|source|click here|shop now)\W*", stripped, re.I):
        return True
    return bool(POINTS_AT.search(stripped) and DANGLING_POINTER.search(stripped))

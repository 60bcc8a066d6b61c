"""The Short pipeline: its stages (``stages``) and the words they ask the text provider for (``writer``).

``platforms/youtube.py`` keeps the ``YouTube`` class as the entry point that runs these stages.
"""

"""English stemming exactly as lunr.js 2.3.9's ``lunr.stemmer`` does it.

Porter's algorithm in the regular-expression form lunr.js uses. It differs from lunr.py's
Porter stemmer in step 1c ("y" becomes "i" only after a consonant: "Turkey", "days",
"deployed" keep their "y"), so an index built in Python and queried in the browser agree.
``tests/test_search.py::test_english_stemmer_agrees_with_lunr_js`` checks it against lunr.js itself on a large word list.
"""
from __future__ import annotations

import re

_C = "[^aeiou]"  # consonant
_V = "[aeiouy]"  # vowel
_CS = _C + "[^aeiouy]*"  # consonant sequence
_VS = _V + "[aeiou]*"  # vowel sequence

MGR0 = re.compile("^(" + _CS + ")?" + _VS + _CS)  # m > 0
MEQ1 = re.compile("^(" + _CS + ")?" + _VS + _CS + "(" + _VS + ")?$")  # m = 1
MGR1 = re.compile("^(" + _CS + ")?" + _VS + _CS + _VS + _CS)  # m > 1
S_V = re.compile("^(" + _CS + ")?" + _V)  # vowel in stem

STEP2 = {"ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
         "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
         "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
         "iviti": "ive", "biliti": "ble", "logi": "log"}
STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}

RE_1A, RE2_1A = re.compile(r"^(.+?)(ss|i)es$"), re.compile(r"^(.+?)([^s])s$")
RE_1B, RE2_1B = re.compile(r"^(.+?)eed$"), re.compile(r"^(.+?)(ed|ing)$")
RE_1B_AT = re.compile(r"(at|bl|iz)$")
RE_1B_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
RE_CVC = re.compile("^" + _CS + _V + "[^aeiouwxy]$")
RE_1C = re.compile(r"^(.+?[^aeiou])y$")
RE_2 = re.compile("^(.+?)(" + "|".join(STEP2) + ")$")
RE_3 = re.compile("^(.+?)(" + "|".join(STEP3) + ")$")
RE_4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
RE2_4 = re.compile(r"^(.+?)(s|t)(ion)$")
RE_5 = re.compile(r"^(.+?)e$")


def stem(word: str) -> str:
    if len(word) < 3:
        return word
    initial_y = word[0] == "y"
    if initial_y:
        word = "Y" + word[1:]

    # step 1a
    if RE_1A.match(word):
        word = RE_1A.sub(r"\1\2", word)
    elif RE2_1A.match(word):
        word = RE2_1A.sub(r"\1\2", word)

    # step 1b
    if m := RE_1B.match(word):
        if MGR0.search(m.group(1)):
            word = word[:-1]
    elif m := RE2_1B.match(word):
        stem_ = m.group(1)
        if S_V.search(stem_):
            word = stem_
            if RE_1B_AT.search(word):
                word += "e"
            elif RE_1B_DOUBLE.search(word):
                word = word[:-1]
            elif RE_CVC.search(word):
                word += "e"

    # step 1c: y -> i after a consonant that is not the first letter
    if m := RE_1C.match(word):
        word = m.group(1) + "i"

    # step 2
    if (m := RE_2.match(word)) and MGR0.search(m.group(1)):
        word = m.group(1) + STEP2[m.group(2)]

    # step 3
    if (m := RE_3.match(word)) and MGR0.search(m.group(1)):
        word = m.group(1) + STEP3[m.group(2)]

    # step 4
    if m := RE_4.match(word):
        if MGR1.search(m.group(1)):
            word = m.group(1)
    elif m := RE2_4.match(word):
        if MGR1.search(m.group(1) + m.group(2)):
            word = m.group(1) + m.group(2)

    # step 5
    if m := RE_5.match(word):
        base = m.group(1)
        if MGR1.search(base) or (MEQ1.search(base) and not RE_CVC.search(base)):
            word = base
    if word.endswith("ll") and MGR1.search(word):
        word = word[:-1]

    if initial_y:
        word = "y" + word[1:]
    return word

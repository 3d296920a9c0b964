#!/usr/bin/env python3
"""Trains the safety engine's learned reader and writes its weights file.

The learned reader is a set of logistic heads over hashed word and character
n-grams (healing-core/src/safety/classifier.rs reads the file this writes).
Training happens here, outside the library; the library only reads weights.

usage:
  train.py [--data DIR] [--out FILE]   train on the training writers and write the weights
  train.py --check                     retrain in memory, compare to the committed file
  train.py --self-test                 check the feature hashing against fixed values
  train.py --cv [--lexicon-predictions P.jsonl]
                                       print leave-one-writer-out figures (training writers only)

Reproducible: liblinear (deterministic for a fixed seed, so the folds give the
same weights in whichever process they run), weights quantised to 8 bits per
head. Never reads the held-back writers: see
tools/safety-corpus/README.md.
"""
import argparse
import hashlib
import json
import math
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

# The same arithmetic on every x86-64 machine with AVX2 and FMA (x86-64-v3).
# liblinear's solver calls OpenBLAS's ddot, daxpy and dnrm2, and OpenBLAS picks
# a kernel for the CPU it finds: an AVX-512 kernel sums in another order, the
# weights move in their last bits, and a threshold chosen among near-ties can
# move a whole step (seen: the check failed on a CI machine whose CPU differed
# from the one that trained the file). So one kernel, one thread (a threaded
# sum splits differently on another core count), and numpy's AVX-512 loops off.
# Set before numpy and scipy load their libraries, which read them once.
os.environ["OPENBLAS_CORETYPE"] = "Haswell"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["NPY_DISABLE_CPU_FEATURES"] = "X86_V4 AVX512_ICL AVX512_SPR"

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "tools", "safety-corpus", "data")
OUT = os.path.join(ROOT, "healing-core", "src", "safety", "classifier.txt")

FORMAT = 2
MODEL_VERSION = "2026.12.5"
CORPUS_VERSION = "2026.12.4"
# Writers of the general brief (BRIEF.md): trained on, and the messages the
# operating point is chosen on, each read by heads trained without its writer.
TRAINING_WRITERS = [
    "w01", "w02", "w03", "w04", "w05", "w06", "w07", "w08", "w09", "w10",
    "w11", "w12", "w13", "w14", "w18", "w19", "w20",
]
# Writers of contrastive pairs (an everyday message and a risk message sharing
# words): always trained on, never used to choose the operating point, whose
# mix of levels is not a service's.
PAIR_WRITERS = ["w15", "w16", "w17", "w21"]
HELD_BACK_WRITERS = ["w22", "w23", "w24", "w25", "w26", "w27", "w28"]
SEED = 19
BUCKETS = 1 << 16
C = 10.0
# Inverse document frequencies are stored in sixteenths (one byte a bucket).
IDF_STEPS = 16
LEVELS = ["none", "low", "medium", "high", "critical"]
CATEGORIES = ["suicide", "self_harm", "harm_to_others", "safeguarding", "third_party"]
HEADS = ["level.low", "level.medium", "level.high", "level.critical"] + [
    "category." + c for c in CATEGORIES
]
# Operating points, chosen on leave-one-writer-out scores of the training
# writers (issue 19 asks the combined engine for at most 0.03 of gold-none
# messages read as high or above, and an exact level of at least 0.80; the
# margins below leave room for writers the model has never read). The caps
# bound each head alone; a message is read as high only when the medium head
# fires too, so the model alone lets through less than the cap (`--cv` prints
# it). Model 2026.12.3 raised them to 4.5% and 0.8% for recall; with the level
# read of 2026.12.4 (`read_levels`) the caps of 2026.12.2 give more recall
# than that did, with fewer false alarms, leave one writer out
# (healing-core/src/safety/CHANGELOG.md).
MAX_NONE_HIGH = 0.026
MAX_NONE_CRITICAL = 0.006
MIN_EXACT = 0.83
# How much of the medium head's score the high and critical heads take in
# (folded into their weights): tried in this order, the first best kept.
MEDIUM_SHARES = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]

# --- features: keep identical to healing-core/src/safety/classifier.rs ---

APOSTROPHES = {"'", "\u2018", "\u2019", "`"}
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufe0e", "\ufe0f"}
CHAR_GRAMS = (3, 5)


def char_class(c):
    """'skip', 'space', 'word' (joins a word) or 'symbol' (a word by itself)."""
    if c in APOSTROPHES or c in INVISIBLE:
        return "skip"
    o = ord(c)
    if o < 0x80:
        return "word" if c.isascii() and c.isalnum() else "space"
    if o in (0xA0, 0x1680) or 0x2000 <= o <= 0x200A or o in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000):
        return "space"
    if o < 0x2000:
        return "word"
    return "symbol"


def fold_char(c):
    o = ord(c)
    if 0x41 <= o <= 0x5A or (0xC0 <= o <= 0xDE and o != 0xD7):
        return chr(o + 0x20)
    return c


def words(text):
    """The folded words of `text`: runs of word characters, and each symbol alone."""
    out, current = [], []
    for c in text:
        kind = char_class(c)
        if kind == "word":
            current.append(fold_char(c))
        elif kind in ("space", "symbol"):
            if current:
                out.append("".join(current))
                current = []
            if kind == "symbol":
                out.append(c)
    if current:
        out.append("".join(current))
    return out


def fnv1a32(data):
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def features(text):
    """(word buckets, character buckets) of `text`, every occurrence.

    Word block: each word (`w:`) and each pair of neighbouring words (`b:`
    followed by the two words' hashes, little-endian).
    Character block: the 3- and 5-grams of the words joined by single
    spaces, with one space before and after (`c:`), across word boundaries.
    """
    ws = words(text)
    mask = BUCKETS - 1
    hashes = [fnv1a32(b"w:" + w.encode()) for w in ws]
    word = [h & mask for h in hashes]
    word += [fnv1a32(b"b:" + a.to_bytes(4, "little") + b.to_bytes(4, "little")) & mask for a, b in zip(hashes, hashes[1:])]
    stream = " " + " ".join(ws) + " "
    chars = [
        fnv1a32(b"c:" + stream[i : i + n].encode()) & mask
        for n in CHAR_GRAMS
        for i in range(len(stream) - n + 1)
    ]
    return word, chars


# Fixed strings and their sorted buckets per block; the same values are
# asserted in healing-core/src/safety/tests.rs (classifier_features_match_python).
SELF_TEST = [
    ("I'm ok", [10702, 45166, 45696], [1214, 12984, 18582, 29843, 29934, 46117, 53514, 62906]),
    ("Take 💊 now", [2177, 19175, 25299, 35916, 58140], [4379, 4466, 4929, 7211, 8363, 8687, 11648, 13575, 20636, 35046, 46252, 48775, 50052, 53007, 55836, 58064, 60657, 64972]),
    ("ÉTÉ Don’t", [19431, 43680, 55739], None),
]


def self_test():
    for text, word_expected, char_expected in SELF_TEST:
        word, chars = features(text)
        if sorted(word) != word_expected or (char_expected is not None and sorted(chars) != char_expected):
            sys.exit(f"self-test: features({text!r}) are {sorted(word)} and {sorted(chars)}")
    print("self-test: feature hashing matches the fixed values")


# --- corpus ---


def load(data_dir, writers):
    rows = []
    for writer in writers:
        if writer in HELD_BACK_WRITERS:
            sys.exit(f"refusing to read held-back writer {writer}")
        with open(os.path.join(data_dir, f"{writer}.jsonl"), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                row = json.loads(line)
                if row.get("level") not in LEVELS or not set(row.get("categories", [])) <= set(CATEGORIES):
                    sys.exit(f"{writer}.jsonl:{n}: not a valid labelled message")
                row["writer"] = writer
                rows.append(row)
    return rows


def idf_steps(feature_lists):
    """Each bucket's smoothed inverse document frequency, in sixteenths."""
    df = np.zeros(BUCKETS)
    for word, chars in feature_lists:
        df[list(set(word) | set(chars))] += 1
    n = len(feature_lists)
    idf = np.log((1 + n) / (1 + df)) + 1
    return np.clip(np.round(idf * IDF_STEPS), 1, 255).astype(int), df


def matrix(feature_lists, steps):
    """Each block's occurrences weighted by idf and divided by the block's
    norm (the square root of the sum of its occurrences' squared idf); the
    two blocks share the bucket columns."""
    idf = steps / IDF_STEPS
    indptr, indices, data = [0], [], []
    for word, chars in feature_lists:
        row = {}
        for block in (word, chars):
            if not block:
                continue
            norm = math.sqrt(sum(idf[b] ** 2 for b in block))
            for b in block:
                row[b] = row.get(b, 0.0) + idf[b] / norm
        for b in sorted(row):
            indices.append(b)
            data.append(row[b])
        indptr.append(len(indices))
    return sp.csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=(len(feature_lists), BUCKETS))


def targets(rows):
    rank = np.array([LEVELS.index(r["level"]) for r in rows])
    ys = [(rank >= k).astype(int) for k in (1, 2, 3, 4)]
    for c in CATEGORIES:
        ys.append(np.array([int(c in r.get("categories", [])) for r in rows]))
    return rank, ys


def fit(x, y):
    return LogisticRegression(penalty="l2", C=C, solver="liblinear", random_state=SEED, max_iter=1000).fit(x, y)


# The training set of `leave_one_writer_out`, inherited by its forked workers
# rather than sent to each.
_FOLDS = None


def _fold(held):
    """Every head's decision values for `held`'s messages, from heads trained without them."""
    x, ys, writers = _FOLDS
    test = writers == held
    return [fit(x[~test], y[~test]).decision_function(x[test]) for y in ys]


def leave_one_writer_out(x, ys, writers):
    """Every head's decision values for the general brief's messages, each
    scored by heads trained without its writer: how the model reads a writer
    it has never read. (Pair writers' messages are always trained on.) The
    folds run side by side, one process a core."""
    global _FOLDS
    _FOLDS = (x, ys, writers)
    scores = np.zeros((len(HEADS), len(writers)))
    workers = min(len(TRAINING_WRITERS), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for held, fold in zip(TRAINING_WRITERS, pool.map(_fold, TRAINING_WRITERS)):
            test = writers == held
            for h, values in enumerate(fold):
                scores[h][test] = values
    _FOLDS = None
    return scores


def fold_medium(scores, share):
    folded = scores.copy()
    folded[2] = scores[2] + share * scores[1]
    folded[3] = scores[3] + share * scores[1]
    return folded


def above_share_of_none(score, rank, share):
    """The smallest threshold that lets at most `share` of gold-none messages through."""
    none = np.sort(score[rank == 0])[::-1]
    allowed = int(math.floor(share * len(none)))
    return float(none[allowed]) + 1e-6 if allowed < len(none) else float(none[-1])


def read_levels(scores, thresholds):
    """The level of each message: the highest level whose head fires together
    with the head just below it (`level.low` alone for low). The heads are
    ordered, so a head firing alone is not believed; one below it missing
    (a plan stated with no distress word, which the low head misses) does not
    silence the ones above, as requiring every head from `level.low` did
    (model 2026.12.3 and before)."""
    fires = [scores[k] >= thresholds[k] for k in range(4)]
    level = np.zeros(scores.shape[1], dtype=int)
    level[fires[0]] = 1
    for k in range(1, 4):
        level[fires[k] & fires[k - 1]] = k + 1
    return level


def level_thresholds(scores, rank):
    """High and critical from the none caps; low and medium for the best exact level."""
    high = above_share_of_none(scores[2], rank, MAX_NONE_HIGH)
    critical = above_share_of_none(scores[3], rank, MAX_NONE_CRITICAL)
    best = None
    grid = np.round(np.linspace(-2.0, 2.0, 41), 2)
    for low in grid:
        for medium in grid:
            t = [float(low), float(medium), high, critical]
            exact = float(np.mean(read_levels(scores, t) == rank))
            if best is None or exact > best[0]:
                best = (exact, t)
    return best[1]


def category_threshold(score, y, concern):
    """The threshold with the best F1 among messages of gold medium or above."""
    best, best_t = -1.0, 0.0
    for t in np.unique(np.round(score[concern], 2)):
        fired = score >= t
        tp = np.sum(fired & (y == 1) & concern)
        fp = np.sum(fired & (y == 0) & concern)
        fn = np.sum(~fired & (y == 1) & concern)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best:
            best, best_t = f1, float(t)
    return best_t


def choose_operating_point(scores, rank, ys):
    """The medium share and every head's threshold (see the constants above)."""
    best = None
    for share in MEDIUM_SHARES:
        folded = fold_medium(scores, share)
        t = level_thresholds(folded, rank)
        level = read_levels(folded, t)
        exact = float(np.mean(level == rank))
        flag = float(np.mean(level[rank >= 3] >= 3))
        if exact >= MIN_EXACT and (best is None or flag > best[0]):
            best = (flag, share, t)
    if best is None:
        sys.exit(f"no medium share keeps the exact level at {MIN_EXACT} or more")
    _, share, thresholds = best
    concern = rank >= 2
    for h in range(4, len(HEADS)):
        thresholds.append(category_threshold(scores[h], ys[h], concern))
    return share, thresholds


def quantise(weights):
    """Eight-bit weights and the head's scale (largest weight over 127)."""
    scale = float(np.max(np.abs(weights))) / 127 if np.any(weights) else 1.0
    scale = float(f"{scale:.6g}")
    return np.clip(np.round(weights / scale), -127, 127).astype(int), scale


def sig(v):
    s = f"{v:.6g}"
    return "0" if s in ("-0", "0") else s


def script_hash():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def train(data_dir):
    rows = load(data_dir, TRAINING_WRITERS + PAIR_WRITERS)
    feature_lists = [features(r["text"]) for r in rows]
    steps, df = idf_steps(feature_lists)
    x = matrix(feature_lists, steps)
    rank, ys = targets(rows)
    writers = np.array([r["writer"] for r in rows])
    scores = leave_one_writer_out(x, ys, writers)
    general = np.isin(writers, TRAINING_WRITERS)
    share, thresholds = choose_operating_point(scores[:, general], rank[general], [y[general] for y in ys])
    models = [fit(x, y) for y in ys]
    coef = np.array([m.coef_[0] for m in models])
    bias = np.array([m.intercept_[0] for m in models])
    for h in (2, 3):
        coef[h] = coef[h] + share * coef[1]
        bias[h] = bias[h] + share * bias[1]
    default_idf = int(np.clip(round((math.log(1 + len(rows)) + 1) * IDF_STEPS), 1, 255))
    quantised, scales = zip(*(quantise(coef[h]) for h in range(len(HEADS))))
    q = np.array(quantised)
    lines = [
        "# The learned reader of healing_core::safety: logistic heads over hashed word and",
        "# character n-grams. Written by tools/safety-train/train.py; do not edit by hand.",
        "# Retrain: .venv/bin/python tools/safety-train/train.py (see tools/safety-train/README.md).",
        f"format {FORMAT}",
        f"version {MODEL_VERSION}",
        f"corpus {CORPUS_VERSION} writers {','.join(TRAINING_WRITERS + PAIR_WRITERS)} messages {len(rows)}",
        f"script_sha256 {script_hash()}",
        f"features fnv1a32 buckets {BUCKETS} words 1-2 chars 3,5 weighting idf/{IDF_STEPS} norm l2_per_block",
        f"training liblinear l2 C {sig(C)} seed {SEED} thresholds leave_one_writer_out medium_share {sig(share)}",
        f"idf_default {default_idf}",
    ]
    for h, name in enumerate(HEADS):
        lines.append(f"head {name} bias {sig(bias[h])} threshold {sig(thresholds[h])} scale {sig(scales[h])}")
    kept = [b for b in range(BUCKETS) if df[b] > 0 or np.any(q[:, b])]
    lines.append(f"buckets {len(kept)}")
    lines.extend(f"{b} {steps[b] if df[b] > 0 else default_idf} " + " ".join(str(v) for v in q[:, b]) for b in kept)
    lines.append("end")
    general_rows = [r for r, g in zip(rows, general) if g]
    return "\n".join(lines) + "\n", general_rows, scores[:, general], share, thresholds


def report(title, rows, levels, categories):
    """The scorer's headline figures (shared/safety/score.py) for predictions."""
    g = np.array([LEVELS.index(r["level"]) for r in rows])
    p = np.array(levels)
    tp = fp = fn = 0
    for r, gi, pc in zip(rows, g, categories):
        if gi >= 2:
            gc, pcs = set(r.get("categories", [])), set(pc)
            tp, fp, fn = tp + len(gc & pcs), fp + len(pcs - gc), fn + len(gc - pcs)
    print(
        f"{title}: flag_recall {np.mean(p[g >= 3] >= 3):.3f}"
        f" critical_recall {np.mean(p[g == 4] == 4):.3f}"
        f" none_false_alarm {np.mean(p[g == 0] >= 3):.3f}"
        f" exact {np.mean(p == g):.3f}"
        f" category_f1 {2 * tp / (2 * tp + fp + fn):.3f}"
    )


def cross_validated_report(rows, scores, share, thresholds, lexicon_path):
    """Leave-one-writer-out figures of the model alone, and raised over the
    lexicon's own predictions when given (as the engine combines them)."""
    folded = fold_medium(scores, share)
    levels = read_levels(folded, thresholds)
    categories = []
    for i, level in enumerate(levels):
        cats = [c for j, c in enumerate(CATEGORIES) if folded[4 + j][i] >= thresholds[4 + j]]
        if not cats and level >= 2:
            cats = [CATEGORIES[int(np.argmax(folded[4:, i]))]]
        categories.append(cats if level >= 2 else [])
    report("model alone (leave one writer out)", rows, levels, categories)
    if not lexicon_path:
        return
    lexicon = {}
    with open(lexicon_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            lexicon[r["id"]] = (LEVELS.index(r["level"]), r["categories"])
    combined_levels, combined_categories = [], []
    for r, level, cats in zip(rows, levels, categories):
        lv, lc = lexicon[r["id"]]
        combined_levels.append(max(lv, level))
        combined_categories.append(sorted(set(lc) | set(cats)) if level > lv else lc)
    report("lexicon raised by the model (leave one writer out)", rows, combined_levels, combined_categories)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--lexicon-predictions", help="with --cv: the lexicon's predictions, to estimate the combined engine")
    args = ap.parse_args()
    self_test()
    if args.self_test:
        return 0
    text, rows, scores, share, thresholds = train(args.data)
    if args.cv:
        print(f"medium share {share}; thresholds {[round(t, 3) for t in thresholds]}")
        cross_validated_report(rows, scores, share, thresholds, args.lexicon_predictions)
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            committed = f.read()
        if committed != text:
            a, b = committed.splitlines(), text.splitlines()
            diff = next((i for i, (p, q) in enumerate(zip(a, b)) if p != q), min(len(a), len(b)))
            sys.exit(f"{args.out}: retraining gives a different file (first difference at line {diff + 1})")
        print(f"ok: retraining reproduces {os.path.relpath(args.out, ROOT)} byte for byte")
        return 0
    if not args.cv:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.out}; operating point chosen on {len(rows)} general-brief messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What trainers write into safetensors `__metadata__`: kohya sd-scripts' `ss_*`, ModelSpec's `modelspec.*`.

kohya keeps its dataset description as JSON strings: `ss_dataset_dirs` (folder → repeats and
image count), `ss_datasets` (datasets with subsets, newer), `ss_tag_frequency` (folder → caption
tag counts). Folder names such as `20_jane_doe` and the most frequent tags tell whose likeness
or whose material a model learnt.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Mapping

from genai_hooks.models.facts import ModelFacts, Rank, listing

SHORT = 120  # a value longer than this is summarised, not shown (thumbnails, workflows)
JSON_LIMIT = 512 * 1024  # a JSON string longer than this is not decoded (it is within the 1 MiB read)

# (key, label, rank): shown as `label: value` in this order when present
_PLAIN = (
    ("ss_output_name", "output name", Rank.IDENTITY),
    ("modelspec.title", "title", Rank.IDENTITY),
    ("ss_sd_model_name", "base model", Rank.IDENTITY),
    ("ss_base_model_version", "base model version", Rank.IDENTITY),
    ("modelspec.architecture", "architecture", Rank.IDENTITY),
    ("modelspec.merged_from", "merged from", Rank.IDENTITY),
    ("modelspec.trigger_phrase", "trigger phrase", Rank.TRAINING),
    ("modelspec.author", "author", Rank.TRAINING),
    ("modelspec.description", "description", Rank.TRAINING),
    ("ss_training_comment", "training comment", Rank.TRAINING),
    ("modelspec.tags", "tags", Rank.TRAINING),
    ("modelspec.license", "license", Rank.TRAINING),
    ("modelspec.date", "date", Rank.STRUCTURE),
    ("modelspec.implementation", "implementation", Rank.STRUCTURE),
    ("ss_vae_name", "VAE", Rank.STRUCTURE),
)
_HANDLED = {key for key, _, _ in _PLAIN} | frozenset(
    {"ss_dataset_dirs", "ss_datasets", "ss_tag_frequency", "ss_reg_dataset_dirs", "ss_num_train_images",
     "ss_network_module", "ss_network_dim", "ss_network_alpha", "ss_training_started_at", "ss_epoch",
     "ss_steps", "modelspec.thumbnail"}
)  # fmt: skip


def describe_metadata(metadata: Mapping[str, str], facts: ModelFacts) -> None:
    for key, label, rank in _PLAIN:
        if _given(metadata, key):
            facts.add(rank, label, metadata[key].strip())
    for key in ("ss_output_name", "modelspec.title"):
        if _given(metadata, key):
            facts.name_is(metadata[key])
    for key in ("ss_sd_model_name", "ss_base_model_version", "modelspec.architecture"):
        if _given(metadata, key):
            facts.base_is(metadata[key])
    _datasets(metadata, facts)
    _tags(metadata, facts)
    _training_run(metadata, facts)
    _others(metadata, facts)


def _given(metadata: Mapping[str, str], key: str) -> bool:
    """Whether a key has a value; kohya writes "None" for arguments left unset."""
    return metadata.get(key, "").strip().lower() not in ("", "none", "null")


def _json(metadata: Mapping[str, str], key: str, facts: ModelFacts) -> object:
    text = metadata.get(key)
    if text is None:
        return None
    if len(text) > JSON_LIMIT:
        facts.add(Rank.STRUCTURE, f"{key}: {len(text)} characters, too long to decode")
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # bad JSON, too deeply nested, or a number too long
        facts.add(Rank.STRUCTURE, f"{key}: not readable JSON")
        return None


def _number(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if abs(value) < 1e15 else None  # NaN compares false: None too


def _datasets(metadata: Mapping[str, str], facts: ModelFacts) -> None:
    folders: list[str] = []
    class_tokens: list[str] = []
    dirs = _json(metadata, "ss_dataset_dirs", facts)
    if isinstance(dirs, dict):
        for folder, info in dirs.items():
            count = _number(info.get("img_count")) if isinstance(info, dict) else None
            folders.append(_folder(str(folder), count))
    datasets = _json(metadata, "ss_datasets", facts)
    for dataset in datasets if isinstance(datasets, list) else []:
        subsets = dataset.get("subsets") if isinstance(dataset, dict) else None
        for subset in subsets if isinstance(subsets, list) else []:
            if not isinstance(subset, dict):
                continue
            image_dir = subset.get("image_dir") or subset.get("metadata_file")
            if isinstance(image_dir, str):
                base = image_dir.replace("\\", "/").rstrip("/").rpartition("/")[2]
                folders.append(_folder(base, _number(subset.get("img_count"))))
            tokens = subset.get("class_tokens")
            if isinstance(tokens, str) and tokens.strip() and tokens not in class_tokens:
                class_tokens.append(tokens)
    if folders:
        facts.add(Rank.TRAINING, "dataset folders", listing(list(dict.fromkeys(folders))))
    if class_tokens:
        facts.add(Rank.TRAINING, "class tokens", listing(class_tokens))
    images = _integer(metadata.get("ss_num_train_images", ""))
    if images is not None and images > 0:
        facts.add(Rank.TRAINING, "training images", images)


def _folder(name: str, count: int | None) -> str:
    name = name[:SHORT]
    return name if count is None else f"{name} ({count} image{'' if count == 1 else 's'})"


def _integer(text: str) -> int | None:
    try:
        return int(text.strip()[:20])
    except ValueError:
        return None


def _tags(metadata: Mapping[str, str], facts: ModelFacts) -> None:
    frequency = _json(metadata, "ss_tag_frequency", facts)
    if not isinstance(frequency, dict):
        return
    totals: Counter[str] = Counter()
    for tags in frequency.values():
        if isinstance(tags, dict):
            for tag, count in tags.items():
                number = _number(count)
                if number is not None and number > 0 and str(tag).strip():
                    totals[str(tag).strip()[:SHORT]] += number
    if totals:
        top = [f"{tag} ({count})" for tag, count in totals.most_common(8)]
        facts.add(Rank.TRAINING, "top training tags", listing(top, 8, total=len(totals)))


def _training_run(metadata: Mapping[str, str], facts: ModelFacts) -> None:
    module = metadata.get("ss_network_module", "").strip()
    if module:
        shape = _labelled(metadata, {"ss_network_dim": "dim", "ss_network_alpha": "alpha"}, value_first=False)
        facts.add(Rank.STRUCTURE, "network", module + (f" ({', '.join(shape)})" if shape else ""))
    started = metadata.get("ss_training_started_at", "").strip()
    try:
        when = datetime.datetime.fromtimestamp(float(started[:40]), datetime.timezone.utc)
        facts.add(Rank.STRUCTURE, "training started", when.strftime("%Y-%m-%d %H:%M UTC"))
    except (ValueError, OverflowError, OSError):
        pass  # absent, or not a plausible timestamp
    run = _labelled(metadata, {"ss_epoch": "epochs", "ss_steps": "steps"}, value_first=True)
    if run:
        facts.add(Rank.STRUCTURE, "trained for", ", ".join(run))


def _labelled(metadata: Mapping[str, str], labels: dict[str, str], *, value_first: bool) -> list[str]:
    """`dim 32` or `10 epochs` for each key present."""
    found = []
    for key, label in labels.items():
        value = metadata.get(key, "").strip()[:20]
        if value:
            found.append(f"{value} {label}" if value_first else f"{label} {value}")
    return found


def _others(metadata: Mapping[str, str], facts: ModelFacts) -> None:
    """Keys of other writers (`format`, ComfyUI's `workflow`...): short values shown, long ones named."""
    shown = 0
    long_keys: list[str] = []
    for key, value in metadata.items():
        if key in _HANDLED or key.startswith(("ss_", "sshs_", "modelspec.")):
            continue
        if len(value) <= SHORT and shown < 6:
            facts.add(Rank.STRUCTURE, f"metadata {key[:60]}", value.strip() or '""')
            shown += 1
        else:
            long_keys.append(key[:60])
    if long_keys:
        facts.add(Rank.STRUCTURE, "other metadata", listing(long_keys))

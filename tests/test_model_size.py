"""The trained model stays lean: archive size, feature dimensions, no optimizer state (issue 17)."""
import json
import tarfile

import yaml

from conftest import ROOT

MAX_ARCHIVE_MB = 60


def test_the_archive_is_at_most_60_mb(trained_model):
    assert trained_model.stat().st_size <= MAX_ARCHIVE_MB * 1024 * 1024


def featurizer_limits():
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    return [step["max_features"] for step in pipeline if step["name"] == "CountVectorsFeaturizer"]


def test_every_featurizer_is_bounded_and_diet_sees_no_more_features(trained_model):
    limits = featurizer_limits()
    assert limits and all(isinstance(limit, int) and limit <= 20000 for limit in limits)
    with tarfile.open(trained_model) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("sparse_feature_sizes.json"))
        sizes = json.load(archive.extractfile(member))["text"]
    assert sizes["sequence"] == sizes["sentence"]
    assert len(sizes["sequence"]) == len(limits)
    assert all(size <= limit for size, limit in zip(sizes["sequence"], limits))


def test_diet_is_saved_without_the_optimizer_state(trained_model, tmp_path):
    import tensorflow as tf

    with tarfile.open(trained_model) as archive:
        archive.extractall(tmp_path)
    index = next(tmp_path.rglob("*DIETClassifier.tf_model.index"))
    names = [name for name, _ in tf.train.list_variables(str(index).removesuffix(".index"))]
    assert any("kernel" in name for name in names)
    assert not [name for name in names if "optimizer" in name.lower() or "OPTIMIZER_SLOT" in name]

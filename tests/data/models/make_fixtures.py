"""Remake the committed PyTorch fixtures of tests/test_models.py with a real `torch.save`.

torch is not a dependency of genai-hooks (the reader never imports it), so run this with a
scratch virtual environment outside the repository, from the repository root:

    python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0
    /tmp/torchvenv/bin/python tests/data/models/make_fixtures.py

It writes, beside this script:
- tiny_checkpoint.pt: the zip serialization (torch >= 1.6 default) of a small training
  checkpoint, two 2x2 float tensors in a state dict plus a step counter;
- tiny_legacy.pt: the same object in the legacy pickle serialization
  (`_use_new_zipfile_serialization=False`);
- tiny_script.pt: a TorchScript module (`torch.jit.save` of a scripted 2x2 linear layer),
  whose archive carries code, with an extra file describing it.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


def checkpoint() -> dict[str, object]:
    weights = OrderedDict(
        [
            ("lora_up.weight", torch.tensor([[1.0, 2.0], [3.0, 4.0]])),
            ("lora_down.weight", torch.tensor([[0.5, 0.25], [0.125, 0.0625]])),
        ]
    )
    return {"state_dict": weights, "global_step": 7}


def main() -> None:
    # the archive name inside the zip is the file's stem, as torch.save writes it
    torch.save(checkpoint(), HERE / "tiny_checkpoint.pt")
    torch.save(checkpoint(), HERE / "tiny_legacy.pt", _use_new_zipfile_serialization=False)
    torch.manual_seed(0)
    script = torch.jit.script(torch.nn.Linear(2, 2))
    torch.jit.save(script, str(HERE / "tiny_script.pt"), _extra_files={"about.txt": "plate denoiser v1"})
    print(f"torch {torch.__version__}: wrote the fixtures in {HERE}")


if __name__ == "__main__":
    main()

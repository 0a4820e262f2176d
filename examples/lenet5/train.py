#!/usr/bin/env python3
"""Trains the thesis' LeNet-5 (§4.3) on Fashion-MNIST and exports it as ONNX for `xbar network`.

conv 1->6 5x5 pad 2, ReLU, maxpool 2 -> conv 6->16 5x5 pad 2, ReLU, maxpool 2 (the convolutional
portion ends at 16x7x7, renamed `conv_out` in the ONNX graph) -> dense 784->120->84->10 with ReLUs.
Inputs are pixel/255 (xbar's default scale for uint8 IDX images), no other normalisation.

Needs Debian's python3-torch, python3-onnx and dataset-fashion-mnist; neither xbar's tests nor its
quickstart run this: lenet5.onnx, reference/*.npy (torch's outputs for the first 100 test images)
and metadata.json are committed.

    python3 examples/lenet5/train.py [--epochs 8] [--seed 1] [--out examples/lenet5]
"""
import argparse
import gzip
import json
import pathlib

import numpy as np
import onnx
import torch
from torch import nn

DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")


def read_idx(path):
    """An IDX file (gzip) as a numpy array: magic 0x0000 08 <rank>, big-endian extents, uint8 data."""
    raw = gzip.open(path, "rb").read()
    if raw[0:2] != b"\0\0" or raw[2] != 8:
        raise ValueError(f"{path}: not a uint8 IDX file")
    rank = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(rank))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5, padding=2)
        self.f1 = nn.Linear(16 * 7 * 7, 120)
        self.f2 = nn.Linear(120, 84)
        self.f3 = nn.Linear(84, 10)

    def features(self, x):
        x = torch.max_pool2d(torch.relu(self.c1(x)), 2)
        return torch.max_pool2d(torch.relu(self.c2(x)), 2)

    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        return self.f3(torch.relu(self.f2(torch.relu(self.f1(x)))))


def images(name):
    return torch.from_numpy(read_idx(DATA / name).astype(np.float32) / 255.0).unsqueeze(1)


def labels(name):
    return torch.from_numpy(read_idx(DATA / name).astype(np.int64))


def accuracy(model, x, y):
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def rename_tensor(model, old, new):
    """Gives an intermediate tensor a readable name (xbar's `network.compare` refers to it)."""
    for node in model.graph.node:
        node.input[:] = [new if t == old else t for t in node.input]
        node.output[:] = [new if t == old else t for t in node.output]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path(__file__).parent)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)

    x_train, y_train = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
    x_test, y_test = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
    model = LeNet5()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        for start in range(0, len(order), 128):
            batch = order[start:start + 128]
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimiser.step()
        model.eval()
        print(f"epoch {epoch + 1}: test accuracy {accuracy(model, x_test, y_test):.4f}", flush=True)

    model.eval()
    onnx_path = args.out / "lenet5.onnx"
    torch.onnx.export(model, x_test[:1], onnx_path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    graph = onnx.load(onnx_path)
    pool2 = [n for n in graph.graph.node if n.op_type == "MaxPool"][1]
    rename_tensor(graph, pool2.output[0], "conv_out")
    onnx.checker.check_model(graph)
    onnx.save(graph, onnx_path)

    # The framework's own outputs on the first 100 test images, for xbar's executor test.
    with torch.no_grad():
        first = x_test[:100]
        reference = {"images": first.numpy(), "logits": model(first).numpy(),
                     "conv_out": model.features(first).numpy(), "labels": y_test[:100].numpy()}
        (args.out / "reference").mkdir(exist_ok=True)
        for name, values in reference.items():
            np.save(args.out / "reference" / f"{name}.npy", values)
    metadata = {"float_test_accuracy": round(accuracy(model, x_test, y_test), 4), "epochs": args.epochs,
                "seed": args.seed, "torch": torch.__version__, "opset": 13, "input_scale": "pixel/255",
                "test_images": len(x_test)}
    (args.out / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    print(json.dumps(metadata))


if __name__ == "__main__":
    main()

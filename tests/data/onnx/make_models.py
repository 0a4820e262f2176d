#!/usr/bin/env python3
"""Writes the small ONNX models xbar's network tests run, with PyTorch's own outputs for them.

Each model is exported by torch.onnx (opsets 11 and 13; eval mode, BatchNormalization kept as a node) and saved with the inputs it was run on and
torch's outputs (float32), in <name>.onnx, <name>_x.npy and <name>_y.npy. The graphs hold what exported CNNs hold:
residual Add, Conv+BatchNormalization, explicit Pad, MaxPool/AveragePool with padding and ceil mode,
GlobalAveragePool, a Shape/Gather/Unsqueeze/Concat/Reshape chain (x.view(x.size(0), -1)), Gemm, a
transposed MatMul weight, LeakyReLU, Sigmoid, Tanh, Clip, Softmax.

Needs Debian's python3-torch; the tests only read the committed files.

    /usr/bin/python3 tests/data/onnx/make_models.py
"""
import pathlib

import numpy as np
import torch
from torch import nn

HERE = pathlib.Path(__file__).parent


class Residual(nn.Module):
    """Conv-BN-ReLU, a residual block, pooling of every kind, a view() and two dense layers."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(2, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.block = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.down = nn.Conv2d(8, 12, 3, stride=2, padding=0)
        self.fc = nn.Linear(12 * 2 * 2, 16)
        self.head = nn.Parameter(torch.randn(16, 5) * 0.3)

    def forward(self, x):
        x = torch.relu(self.bn(self.stem(x)))
        x = x + torch.nn.functional.leaky_relu(self.block(x), 0.1)          # residual Add
        x = torch.nn.functional.pad(x, (1, 0, 1, 0), mode="reflect")          # Pad
        x = torch.nn.functional.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
        x = torch.nn.functional.max_pool2d(x, 2, ceil_mode=True)
        x = torch.sigmoid(self.down(x))
        g = torch.nn.functional.adaptive_avg_pool2d(x, 1)                     # GlobalAveragePool
        x = x * g                                                             # broadcast Mul
        x = x.view(x.size(0), -1)                                             # Shape/Gather/.../Reshape
        x = torch.tanh(self.fc(x)).clamp(-0.5, 0.8)                           # Gemm, Tanh, Clip
        return torch.softmax(x @ self.head, dim=1)                            # MatMul, Softmax


class FixedBatch(nn.Module):
    """Exported for a batch of exactly one image (no dynamic axes): its Reshape says [1, -1]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3)
        self.fc = nn.Linear(3 * 6 * 6, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).view(1, -1))


class Mlp(nn.Module):
    """A dense network that takes 64 values per image (fed 8 x 8 images by the tests)."""

    def __init__(self):
        super().__init__()
        self.f1 = nn.Linear(64, 12)
        self.f2 = nn.Linear(12, 3)

    def forward(self, x):
        return self.f2(torch.relu(self.f1(x)))


def export_fixed_batch(model, images, name):
    model.eval()
    torch.onnx.export(model, images[:1], HERE / f"{name}.onnx", input_names=["x"], output_names=["y"], opset_version=13)
    with torch.no_grad():
        np.save(HERE / f"{name}_x.npy", images.numpy())
        np.save(HERE / f"{name}_y.npy", torch.cat([model(images[k:k + 1]) for k in range(len(images))]).numpy())


def export(model, x, name, opset):
    model.eval()
    path = HERE / f"{name}.onnx"
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=opset,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    with torch.no_grad():
        np.save(HERE / f"{name}_x.npy", x.numpy())
        np.save(HERE / f"{name}_y.npy", model(x).numpy())


def main():
    torch.manual_seed(3)
    model = Residual()
    with torch.no_grad():  # BN statistics that are not the identity, so folding it matters
        model.bn.running_mean.uniform_(-0.5, 0.5)
        model.bn.running_var.uniform_(0.5, 2.0)
        model.bn.weight.uniform_(0.5, 1.5)
        model.bn.bias.uniform_(-0.2, 0.2)
    x = torch.rand(6, 2, 11, 11)
    export(model, x, "residual_opset13", 13)
    export(model, x, "residual_opset11", 11)
    export_fixed_batch(FixedBatch(), torch.rand(5, 1, 8, 8), "fixed_batch")
    mlp = Mlp().eval()
    images = torch.rand(7, 8, 8)
    torch.onnx.export(mlp, images[:2].reshape(2, 64), HERE / "mlp.onnx", input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=13)
    with torch.no_grad():
        np.save(HERE / "mlp_x.npy", images.numpy())  # (7, 8, 8): the model takes (N, 64)
        np.save(HERE / "mlp_y.npy", mlp(images.reshape(7, 64)).numpy())


if __name__ == "__main__":
    main()

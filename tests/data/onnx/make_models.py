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


if __name__ == "__main__":
    main()

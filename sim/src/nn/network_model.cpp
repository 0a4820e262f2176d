#include "xbar/sim/nn/network_model.hpp"

#include <algorithm>
#include <cmath>

#include "xbar/sim/io/idx.hpp"
#include "xbar/sim/io/input_file.hpp"
#include "xbar/sim/io/onnx_graph.hpp"

namespace xbar::sim {

namespace {

[[noreturn]] void fail(const Diagnostic& at, const std::string& message) {
  Diagnostic d = at;
  d.message = message;
  throw InputError({d});
}

// .npy by its extension, anything else as IDX (raw or gzip: read_idx tells them apart).
NpyArray read_array_file(const std::filesystem::path& path, const Diagnostic& at) {
  try {
    const std::string ext = path.extension().string();
    if (ext == ".npy") return read_npy(path);
    return read_idx(path);
  } catch (const std::exception& e) {
    fail(at, e.what());
  }
}

std::string names_text(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t k = 0; k < names.size() && k < 40; ++k) text += (k ? ", " : "") + names[k];
  if (names.size() > 40) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

// Returns how many images the file holds (before dataset.limit).
std::size_t read_images(const Spec& spec, NetworkModel& model, const OnnxValueInfo& input) {
  const DatasetSpec& d = spec.dataset;
  NpyArray array = read_array_file(d.images, d.images_at);
  std::vector<std::size_t> shape = array.shape;
  if (shape.size() == 3 && input.shape.size() == 4) shape.insert(shape.begin() + 1, 1);  // (N, H, W): one channel
  // Images of another rank with the same values per image as a fully known input (e.g. 28 x 28
  // images for a model that takes 784 values): reshaped to the input.
  const bool known = input.shape.size() > 1 && std::all_of(input.shape.begin() + 1, input.shape.end(), [](long v) { return v > 0; });
  if (known && shape.size() != input.shape.size() && !shape.empty() && shape[0] > 0) {
    std::size_t wanted = 1;
    for (std::size_t k = 1; k < input.shape.size(); ++k) wanted *= static_cast<std::size_t>(input.shape[k]);
    if (element_count(shape) / shape[0] == wanted) {
      std::vector<std::size_t> reshaped = {shape[0]};
      for (std::size_t k = 1; k < input.shape.size(); ++k) reshaped.push_back(static_cast<std::size_t>(input.shape[k]));
      shape = reshaped;
    }
  }
  if (shape.size() != input.shape.size() || shape.empty() || shape[0] == 0) {
    fail(d.images_at, d.images.string() + ": images of shape " + shape_text(array.shape) + " do not fit the model input '" +
                          input.name + "' of rank " + std::to_string(input.shape.size()) + " (expected (N, C, H, W) or (N, H, W))");
  }
  for (std::size_t k = 1; k < shape.size(); ++k) {
    if (input.shape[k] > 0 && static_cast<std::size_t>(input.shape[k]) != shape[k]) {
      std::vector<std::size_t> wanted;
      for (long v : input.shape) wanted.push_back(v > 0 ? static_cast<std::size_t>(v) : 0);
      fail(d.images_at, d.images.string() + ": images of shape " + shape_text(array.shape) + " do not fit the model input '" +
                            input.name + "' " + shape_text(wanted) + " (0: any extent)");
    }
  }
  const std::size_t count = d.limit ? std::min(d.limit, shape[0]) : shape[0];
  const std::size_t per_image = element_count(shape) / shape[0];
  model.scale = d.scale.value_or(array.dtype == "uint8" || array.dtype == "|u1" ? 1.0 / 255.0 : 1.0);
  array.data.resize(count * per_image);
  for (double& v : array.data) v = v * model.scale + d.offset;
  if (std::any_of(array.data.begin(), array.data.end(), [](double v) { return !std::isfinite(v); })) {
    fail(d.images_at, d.images.string() + ": the images hold NaN or infinite values");
  }
  shape[0] = count;
  model.images.shape = shape;
  model.images.data = std::move(array.data);
  return array.shape[0];
}

void read_labels(const Spec& spec, NetworkModel& model, std::size_t all_images) {
  const DatasetSpec& d = spec.dataset;
  if (d.labels.empty()) return;
  const NpyArray array = read_array_file(d.labels, d.labels_at);
  if (array.shape.size() != 1 || array.shape[0] != all_images) {
    fail(d.labels_at, d.labels.string() + ": expected " + std::to_string(all_images) + " labels (one per image of " +
                          d.images.filename().string() + "), got shape " + shape_text(array.shape));
  }
  for (std::size_t k = 0; k < model.images.shape[0]; ++k) {
    const double v = array.data[k];
    if (v < 0 || v != std::floor(v) || v > 1e9) fail(d.labels_at, d.labels.string() + ": label " + std::to_string(k) + " is not a class index");
    model.labels.push_back(static_cast<int>(v));
  }
}

}  // namespace

double NetworkModel::kept_output_bytes() const {
  double per_image = static_cast<double>(output_values);
  for (std::size_t v : compare_values) per_image += static_cast<double>(v);
  return 3.0 * per_image * static_cast<double>(images.shape.empty() ? 0 : images.shape[0]) * sizeof(double);
}

NetworkModel load_network(const Spec& spec) {
  const NetworkSpec& n = spec.network;
  NetworkModel model;
  try {
    model.graph = std::make_shared<const Graph>(read_onnx_model(n.onnx));
  } catch (const std::exception& e) {
    fail(n.onnx_at, e.what());
  }
  const Graph& graph = *model.graph;
  if (graph.inputs().size() != 1 || graph.outputs().empty()) {
    fail(n.onnx_at, n.onnx.string() + ": expected a model with one data input, got " + std::to_string(graph.inputs().size()));
  }
  model.input = graph.inputs().front().name;
  if (!graph.inputs().front().shape.empty() && graph.inputs().front().shape.front() == 1) model.batch = 1;
  model.output = graph.outputs().front().name;
  if (graph.opset() && (graph.opset() < 7 || graph.opset() > 18)) {
    fail(n.onnx_at, n.onnx.string() + ": opset " + std::to_string(graph.opset()) + " (xbar follows opsets 11-17)");
  }

  const std::vector<std::size_t> linear = graph.linear_nodes();
  const auto node_name = [&](std::size_t k) { return graph.nodes()[k].name; };
  if (n.analog_all) {
    model.analog = linear;
  } else {
    std::vector<std::string> candidates;
    for (std::size_t k : linear) candidates.push_back(node_name(k));
    for (const std::string& name : n.analog) {
      const auto it = std::find_if(linear.begin(), linear.end(), [&](std::size_t k) { return node_name(k) == name; });
      if (it == linear.end()) {
        const auto any = std::find_if(graph.nodes().begin(), graph.nodes().end(), [&](const OnnxGraphNode& node) { return node.name == name; });
        fail(n.analog_at, (any == graph.nodes().end() ? "no node '" + name + "'"
                                                       : "node '" + name + "' is a " + any->op_type + ", not a Conv, Gemm or MatMul with constant weights") +
                              " in " + n.onnx.string() + "; the candidates are " + names_text(candidates));
      }
      model.analog.push_back(*it);
    }
    std::sort(model.analog.begin(), model.analog.end());
  }
  for (const auto& entry : n.layer_overrides) {
    const std::string& name = entry.first;  // (a structured binding cannot be captured before C++20)
    if (std::none_of(model.analog.begin(), model.analog.end(), [&](std::size_t k) { return node_name(k) == name; })) {
      std::vector<std::string> analog;
      for (std::size_t k : model.analog) analog.push_back(node_name(k));
      fail(n.layers_at, "layers: '" + name + "' is not an analog node of " + n.onnx.string() + "; they are " + names_text(analog));
    }
  }
  for (const std::string& name : n.compare) {
    if (!graph.has_tensor(name)) {
      fail(n.compare_at, "no tensor '" + name + "' in " + n.onnx.string() + "; the candidates are " + names_text(graph.tensor_names()));
    }
    model.compare.push_back(name);
  }

  // Labels must match the whole file, not only the images kept by dataset.limit.
  read_labels(spec, model, read_images(spec, model, graph.inputs().front()));
  // One image through the graph: shapes that do not fit show now, as bad input, not halfway through.
  try {
    Tensor first = model.images;
    first.shape[0] = 1;
    first.data.resize(element_count(first.shape));
    const auto values = run_graph(graph, {{model.input, std::move(first)}}, model.compare);
    model.output_values = values.at(model.output).size();
    for (const std::string& name : model.compare) model.compare_values.push_back(values.at(name).size());
  } catch (const std::exception& e) {
    fail(n.onnx_at, n.onnx.string() + ": the model cannot run on " + spec.dataset.images.filename().string() + ": " + e.what());
  }
  return model;
}

}  // namespace xbar::sim

// The programming export (`xbar program`): switch states of every cell, with the measured values they
// were solved for, as .npy arrays, a CSV and a JSON description (file list: `xbar program --help`).
// Usage (given const Spec& spec, const ProgrammedDesign& design):
//   OutputFiles files;
//   add_program_files(files, "program", spec, design);   // staged under program/
//   files.commit();                                       // all of them, or none
#pragma once

#include <filesystem>

#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

void add_program_files(OutputFiles& files, const std::filesystem::path& dir, const Spec& spec,
                       const ProgrammedDesign& design);

}  // namespace xbar::sim

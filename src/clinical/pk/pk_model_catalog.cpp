// The shipped model catalogue (see pk_model_catalog.h).
#include "clinical/pk/pk_model_catalog.h"

#include <algorithm>
#include <stdexcept>

namespace ketachart::pk {

const std::vector<PkModel>& ShippedModels() {
  static const std::vector<PkModel> models = [] {
    std::vector<PkModel> parsed;
    for (const EmbeddedFile& file : EmbeddedPkModels()) {
      if (file.path.empty()) continue;
      auto model = ParsePkModel(file.content);
      if (!model.ok()) {
        throw std::logic_error("data/pk-models/" + std::string(file.path) + ": " + model.error().field + " " +
                               model.error().message);
      }
      parsed.push_back(std::move(model).value());
    }
    std::sort(parsed.begin(), parsed.end(), [](const PkModel& a, const PkModel& b) { return a.id < b.id; });
    return parsed;
  }();
  return models;
}

Result<const PkModel*> FindModel(std::string_view id) {
  std::string known;
  for (const PkModel& model : ShippedModels()) {
    if (model.id == id) return &model;
    known += (known.empty() ? "" : ", ") + model.id;
  }
  return Error{ErrorCode::kNotFound, "unknown model \"" + std::string(id) + "\" (known: " + known + ")", "model"};
}

}  // namespace ketachart::pk

"""LightGBM models as the flat arrays src/engine/ranking/trees.ts evaluates (shared by the training scripts)."""


def flat_trees(model):
    """LightGBM's JSON dump as flat arrays (see src/engine/ranking/trees.ts)."""
    out = []
    for info_ in model.dump_model()["tree_info"]:
        feature, threshold, left, right, leaf = [], [], [], [], []

        def visit(node):
            if "leaf_index" in node or "split_index" not in node:
                leaf.append(float(node.get("leaf_value", 0.0)))
                return ~(len(leaf) - 1)
            i = len(feature)
            assert node["decision_type"] == "<=", node["decision_type"]
            feature.append(int(node["split_feature"]))
            threshold.append(float(node["threshold"]))
            left.append(0)
            right.append(0)
            left[i] = visit(node["left_child"])
            right[i] = visit(node["right_child"])
            return i

        visit(info_["tree_structure"])  # internal node 0 is the root; leaves are numbered in visiting order
        out.append({"feature": feature, "threshold": threshold, "left": left, "right": right, "leaf": leaf})
    return out

#pragma once
// Levenshtein alignment of two sequences (code points for OCR's character error rate, words
// for speech recognition's word error rate, lines when comparing scripts), the one place it
// is written. Linear memory: each cell of the running row carries the kinds of edit that
// reached it, so no matrix is kept for a backtrace.
#include <cstddef>
#include <vector>

namespace dramaloc {

struct EditCounts {
    std::size_t substitutions = 0;
    std::size_t deletions = 0;   // in `reference`, missing from `hypothesis`
    std::size_t insertions = 0;  // in `hypothesis` only
    std::size_t total() const { return substitutions + deletions + insertions; }
};

// The fewest edits turning `reference` into `hypothesis`; among alignments of equal cost,
// substitutions are preferred to a deletion plus an insertion.
template <typename T>
EditCounts align_edits(const std::vector<T>& reference, const std::vector<T>& hypothesis) {
    struct Cell {
        std::size_t cost = 0;
        EditCounts counts;
    };
    std::vector<Cell> row(hypothesis.size() + 1);
    for (std::size_t j = 1; j <= hypothesis.size(); ++j) row[j] = {j, {0, 0, j}};
    for (std::size_t i = 1; i <= reference.size(); ++i) {
        Cell diagonal = row[0];
        row[0] = {i, {0, i, 0}};
        for (std::size_t j = 1; j <= hypothesis.size(); ++j) {
            const Cell up = row[j];
            const bool same = reference[i - 1] == hypothesis[j - 1];
            Cell best = diagonal;
            best.cost += same ? 0 : 1;
            best.counts.substitutions += same ? 0 : 1;
            if (up.cost + 1 < best.cost) best = up, best.cost += 1, ++best.counts.deletions;
            if (row[j - 1].cost + 1 < best.cost) best = row[j - 1], best.cost += 1, ++best.counts.insertions;
            diagonal = up;
            row[j] = best;
        }
    }
    return row.back().counts;
}

template <typename T>
std::size_t edit_distance(const std::vector<T>& a, const std::vector<T>& b) {
    return align_edits(a, b).total();
}

}  // namespace dramaloc

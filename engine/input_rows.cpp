#include "engine/input_rows.h"

#include <algorithm>

#include "engine/error.h"

namespace nqkv {

int InputRowSpans::replace(const RowAttachments& spans) {
    std::map<int, std::shared_ptr<const InputRows>> next;
    int end = -1;
    for (const auto& [pos, rows] : spans) {
        if (!rows || rows->n <= 0) fail("attach: no rows given at position ", pos);
        if (pos < 0) fail("attach: position ", pos, " is negative");
        next[pos] = rows;
    }
    for (const auto& [pos, rows] : next) {
        if (pos < end) fail("attach: the rows at position ", pos, " overlap the ones before them");
        end = pos + rows->n;
    }
    // The first difference: a span in one table and not the other, or other rows.
    int changed = -1;
    const auto note = [&](int p) { changed = changed < 0 ? p : std::min(changed, p); };
    for (const auto& [pos, rows] : spans_) {
        const auto it = next.find(pos);
        if (it == next.end() || it->second != rows) note(pos);
    }
    for (const auto& [pos, rows] : next)
        if (!spans_.count(pos)) note(pos);
    spans_ = std::move(next);
    return changed;
}

int InputRowSpans::whole(int n) const {
    auto it = spans_.upper_bound(n - 1);  // the first span starting at n or later
    if (it == spans_.begin()) return n;
    --it;
    return n < it->first + it->second->n ? std::min(n, it->first) : n;
}

std::vector<EvalSegment> InputRowSpans::segments(int pos, int n) const {
    std::vector<EvalSegment> out;
    const int end = pos + n;
    if (whole(pos) != pos)
        fail("eval: position ", pos, " lies inside a picture's rows, which are read whole");
    int at = pos;
    for (auto it = spans_.lower_bound(pos); it != spans_.end() && it->first < end; ++it) {
        const int a = it->first, b = a + it->second->n;
        if (b > end)
            fail("eval: the picture's rows at positions ", a, "-", b - 1,
                 " are cut off at position ", end, "; they are read whole");
        if (a > at) out.push_back({at, a - at, nullptr});
        out.push_back({a, b - a, it->second.get()});
        at = b;
    }
    if (at < end) out.push_back({at, end - at, nullptr});
    return out;
}

}  // namespace nqkv

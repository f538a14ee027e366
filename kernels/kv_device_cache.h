// The device-resident KV cache of one context (both sides, all layers), plus the host copy the
// inspection API reads, refreshed on demand from the rows written since the last refresh.
#pragma once

#include <memory>

#include "engine/kv_cache.h"
#include "kernels/device_buffer.h"
#include "kernels/kv_device.h"

namespace nqkv::cuda {

class DeviceKvCache {
  public:
    DeviceKvCache(const KvConfig& config, const KvShape& shape);
    const SideView& side(KvKind k) const { return k == KvKind::K ? k_.view : v_.view; }
    // The host cache holding positions [0, n_past), copied from the device as needed.
    const KvCache& host(int n_past) const;
    void forget_from(int pos) const {
        if (synced_ > pos) synced_ = pos;
    }
    const KvCache& layout() const { return *host_; }

  private:
    struct Side {
        SideView view;
        DeviceBuffer data, scales, levels, thresholds;
    };
    static Side make_side(const KvFormat& f, const KvShape& s, int block, const char* name);
    void copy_rows(KvKind kind, int from, int to) const;

    Side k_, v_;
    std::unique_ptr<KvCache> host_;
    mutable int synced_ = 0;
};

}  // namespace nqkv::cuda

// Vectors whose data begin on a 64-byte cache line. The CPU kernels load activation rows 64
// bytes at a time; from malloc's 16-byte alignment every such load straddles two lines, which
// made batched float products up to twice as slow.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace nqkv {

template <class T>
struct CacheLineAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlign{64};
    CacheLineAllocator() = default;
    template <class U>
    CacheLineAllocator(const CacheLineAllocator<U>&) {}
    T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
    void deallocate(T* p, size_t) { ::operator delete(p, kAlign); }
    template <class U>
    bool operator==(const CacheLineAllocator<U>&) const {
        return true;
    }
};

template <class T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace nqkv

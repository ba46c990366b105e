package dev.factline.functions.query;

import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real cache (Redis) with its calls counted: gets, puts (rows written) and evictions. */
final class CountingViewCache implements ViewCache {

    private final ViewCache target;
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger puts = new AtomicInteger();
    final AtomicInteger evictions = new AtomicInteger();

    CountingViewCache(ViewCache target) {
        this.target = target;
    }

    @Override
    public int putAll(List<ViewRow> rows) {
        puts.addAndGet(rows.size());
        return target.putAll(rows);
    }

    @Override
    public Optional<ViewRow> get(String key) {
        gets.incrementAndGet();
        return target.get(key);
    }

    @Override
    public void evict(Collection<String> keys) {
        evictions.addAndGet(keys.size());
        target.evict(keys);
    }

    @Override
    public boolean isNone() {
        return target.isNone();
    }

    int total() {
        return gets.get() + puts.get() + evictions.get();
    }

    void reset() {
        gets.set(0);
        puts.set(0);
        evictions.set(0);
    }
}

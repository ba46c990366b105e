package dev.factline.functions.query;

import dev.factline.functions.view.CachedView;
import dev.factline.functions.view.ViewCache;
import dev.factline.functions.view.ViewRow;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real cache (Redis) with its calls counted: gets and puts (rows written). */
final class CountingViewCache implements ViewCache {

    private final ViewCache target;
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger puts = new AtomicInteger();

    CountingViewCache(ViewCache target) {
        this.target = target;
    }

    @Override
    public int putAll(List<ViewRow> rows, long generation) {
        puts.addAndGet(rows.size());
        return target.putAll(rows, generation);
    }

    @Override
    public Optional<CachedView> get(String key) {
        gets.incrementAndGet();
        return target.get(key);
    }

    @Override
    public boolean isNone() {
        return target.isNone();
    }

    int total() {
        return gets.get() + puts.get();
    }

    void reset() {
        gets.set(0);
        puts.set(0);
    }
}

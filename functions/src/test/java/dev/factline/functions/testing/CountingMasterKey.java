package dev.factline.functions.testing;

import dev.factline.functions.personal.MasterKey;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** A master key with its uses counted: the KMS calls (or their local equivalent) a container makes. */
public final class CountingMasterKey implements MasterKey {

    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger unwrapped = new AtomicInteger();
    private final MasterKey key;

    public CountingMasterKey(MasterKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** Data keys issued (KMS GenerateDataKey). */
    public int issued() {
        return issued.get();
    }

    /** Data keys unwrapped (KMS Decrypt). */
    public int unwrapped() {
        return unwrapped.get();
    }

    @Override
    public String id() {
        return key.id();
    }

    @Override
    public IssuedKey issue(String subject) {
        issued.incrementAndGet();
        return key.issue(subject);
    }

    @Override
    public byte[] unwrap(String subject, byte[] wrapped) {
        unwrapped.incrementAndGet();
        return key.unwrap(subject, wrapped);
    }
}

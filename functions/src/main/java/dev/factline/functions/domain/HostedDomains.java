package dev.factline.functions.domain;

import dev.factline.functions.domains.accounts.AccountDomain;
import dev.factline.functions.domains.catalogue.CatalogueDomain;
import dev.factline.functions.domains.orders.OrderDomain;
import dev.factline.functions.domains.subjects.SubjectDomain;

/** The domains the functions host: registering one is a line here. */
public final class HostedDomains {

    public static final Domains STANDARD = Domains.of(
            new AccountDomain(),
            new OrderDomain(),
            new CatalogueDomain(),
            new SubjectDomain());

    private HostedDomains() {
    }
}

package dev.factline.infra;

import java.util.List;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.elasticache.CfnServerlessCache;
import software.constructs.Construct;

/**
 * The views' cache: an ElastiCache Serverless cache (Valkey) in the isolated subnets. Serverless
 * caches always encrypt in transit (TLS) and at rest; its security group admits only the
 * functions granted {@code CONNECT} to the cache, on the primary (6379) and reader (6380) ports.
 */
final class ViewCacheCluster extends Construct {

    static final String ENGINE = "valkey";
    static final String MAJOR_ENGINE_VERSION = "8";
    /** The primary endpoint's port and the reader endpoint's. */
    static final Port PORTS = Port.tcpRange(6379, 6380);

    private final SecurityGroup securityGroup;
    private final CfnServerlessCache cache;

    /** @param name the cache's name: the read table's, since it caches that table's views */
    ViewCacheCluster(Construct scope, String id, Network network, String name) {
        super(scope, id);
        securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(network.vpc())
                .description("Factline view cache: only the functions that use it")
                .allowAllOutbound(false)
                .build();
        cache = CfnServerlessCache.Builder.create(this, "Cache")
                .serverlessCacheName(name)
                .description("Factline views (write-through from the projector)")
                .engine(ENGINE)
                .majorEngineVersion(MAJOR_ENGINE_VERSION)
                .subnetIds(network.vpc().selectSubnets(Network.isolatedSubnets()).getSubnetIds())
                .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                .build();
    }

    void allowFrom(ISecurityGroup client, String function) {
        securityGroup.addIngressRule(client, PORTS, "Valkey (TLS) from the " + function + " function");
    }

    /** {@code rediss://<endpoint>:<port>}: TLS, which a serverless cache requires. */
    String url() {
        return "rediss://" + cache.getAttrEndpointAddress() + ":" + Token.asString(cache.getAttrEndpointPort());
    }

    String endpoint() {
        return cache.getAttrEndpointAddress();
    }
}

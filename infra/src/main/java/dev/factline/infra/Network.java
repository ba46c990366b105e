package dev.factline.infra;

import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The functions' network: a VPC of private isolated subnets in two availability zones, with no
 * internet or NAT gateway. The functions reach DynamoDB through a gateway endpoint and Kinesis
 * through an interface endpoint; nothing else leaves the VPC. Rejected and accepted flows are
 * logged.
 */
final class Network extends Construct {

    private final Vpc vpc;
    private final InterfaceVpcEndpoint kinesisEndpoint;

    Network(Construct scope, String id) {
        super(scope, id);
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("Functions")
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .cidrMask(24)
                        .build()))
                .gatewayEndpoints(java.util.Map.of("DynamoDb", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.DYNAMODB)
                        .subnets(List.of(isolatedSubnets()))
                        .build()))
                .flowLogs(java.util.Map.of("FlowLog", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                        .trafficType(FlowLogTrafficType.ALL)
                        .build()))
                .build();
        kinesisEndpoint = InterfaceVpcEndpoint.Builder.create(this, "KinesisEndpoint")
                .vpc(vpc)
                .service(InterfaceVpcEndpointAwsService.KINESIS_STREAMS)
                .subnets(isolatedSubnets())
                .privateDnsEnabled(true)
                // Only the functions that publish may reach it (see allowKinesisFrom), not the whole VPC.
                .open(false)
                .build();
    }

    Vpc vpc() {
        return vpc;
    }

    static SubnetSelection isolatedSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
    }

    /** A security group for one function: outbound only (the isolated subnets route nowhere but the endpoints). */
    SecurityGroup securityGroupFor(String function) {
        return SecurityGroup.Builder.create(this, function + "SecurityGroup")
                .vpc(vpc)
                .description("Factline " + function + " function")
                .allowAllOutbound(true)
                .build();
    }

    void allowKinesisFrom(ISecurityGroup client) {
        kinesisEndpoint.getConnections().allowFrom(client, Port.tcp(443), "HTTPS to Kinesis from a publishing function");
    }
}

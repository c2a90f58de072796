package io.deltaagent.submit.emr;

import io.deltaagent.submit.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.Configuration;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.InstanceFleetConfig;
import software.amazon.awssdk.services.emr.model.InstanceFleetProvisioningSpecifications;
import software.amazon.awssdk.services.emr.model.InstanceFleetType;
import software.amazon.awssdk.services.emr.model.InstanceTypeConfig;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.RunJobFlowRequest;
import software.amazon.awssdk.services.emr.model.SpotProvisioningAllocationStrategy;
import software.amazon.awssdk.services.emr.model.SpotProvisioningSpecification;
import software.amazon.awssdk.services.emr.model.SpotProvisioningTimeoutAction;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.Tag;

/** The RunJobFlow request of one job: a cluster that runs the job as its only step and terminates after it. */
final class EmrClusterRequests {

    static final String MAIN_CLASS = "io.deltaagent.jobs.MaintenanceJob";
    static final String NAME_PREFIX = "delta-agent ";

    private EmrClusterRequests() {
    }

    /** The cluster name: it carries the idempotency token, the only way to find the cluster of a job again. */
    static String clusterName(JobSpec spec) {
        return NAME_PREFIX + spec.idempotencyToken();
    }

    static RunJobFlowRequest runJobFlow(EmrSettings s, JobSpec spec) {
        int workers = s.job().sizing().workers(spec.bytesToRewrite());
        return RunJobFlowRequest.builder()
                .name(clusterName(spec))
                .releaseLabel(s.releaseLabel())
                .logUri(s.logUri())
                .serviceRole(s.serviceRole())
                .jobFlowRole(s.jobFlowRole())
                .visibleToAllUsers(true)
                .applications(Application.builder().name("Spark").build())
                .configurations(configurations(s))
                .instances(JobFlowInstancesConfig.builder()
                        // the cluster lives exactly as long as its one step
                        .keepJobFlowAliveWhenNoSteps(false)
                        .terminationProtected(false)
                        .ec2SubnetIds(s.subnetId())
                        .instanceFleets(
                                fleet(InstanceFleetType.MASTER, List.of(s.masterInstanceType()), 1, 0, s),
                                fleet(InstanceFleetType.CORE, s.workerInstanceTypes(), 1, 0, s),
                                fleet(InstanceFleetType.TASK, s.workerInstanceTypes(), 0, workers, s))
                        .build())
                .steps(step(s, spec))
                .tags(tags(s, spec))
                .build();
    }

    static List<String> stepArgs(EmrSettings s, JobSpec spec) {
        List<String> args = new ArrayList<>(List.of("spark-submit", "--deploy-mode", "cluster", "--class", MAIN_CLASS,
                s.job().jobsJar()));
        args.addAll(spec.jobArguments());
        args.add("--result");
        args.add(s.job().resultUri(spec.idempotencyToken()));
        return args;
    }

    private static StepConfig step(EmrSettings s, JobSpec spec) {
        return StepConfig.builder()
                .name(stepName(spec))
                .actionOnFailure(ActionOnFailure.TERMINATE_CLUSTER)
                .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar").args(stepArgs(s, spec)).build())
                .build();
    }

    /** The step's name: action and table, within EMR's 256 characters. */
    static String stepName(JobSpec spec) {
        String name = NAME_PREFIX + spec.action().name().toLowerCase(Locale.ROOT) + " " + spec.table();
        return name.length() <= 256 ? name : name.substring(0, 256);
    }

    /**
     * Delta the way EMR documents it for 7.x: the {@code delta-defaults} classification puts Delta on Spark's class
     * path, and Spark's defaults carry Delta's session extension and catalog (plus the configured Spark settings).
     */
    static List<Configuration> configurations(EmrSettings s) {
        Map<String, String> spark = new LinkedHashMap<>();
        spark.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        spark.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        spark.putAll(new TreeMap<>(s.job().sparkConf()));
        return List.of(
                Configuration.builder().classification("delta-defaults").properties(Map.of("delta.enabled", "true")).build(),
                Configuration.builder().classification("spark-defaults").properties(spark).build());
    }

    /** A fleet; spot capacity waits at most spotTimeout for spot instances, then takes on-demand ones instead. */
    private static InstanceFleetConfig fleet(InstanceFleetType type, List<String> instanceTypes, int onDemand, int spot,
                                             EmrSettings s) {
        InstanceFleetConfig.Builder fleet = InstanceFleetConfig.builder()
                .name(type.toString().toLowerCase(Locale.ROOT))
                .instanceFleetType(type)
                .targetOnDemandCapacity(onDemand)
                .targetSpotCapacity(spot)
                .instanceTypeConfigs(instanceTypes.stream()
                        .map(t -> InstanceTypeConfig.builder().instanceType(t).weightedCapacity(1).build())
                        .toList());
        if (spot > 0) {
            fleet.launchSpecifications(InstanceFleetProvisioningSpecifications.builder()
                    .spotSpecification(SpotProvisioningSpecification.builder()
                            .timeoutDurationMinutes((int) s.spotTimeout().toMinutes())
                            .timeoutAction(SpotProvisioningTimeoutAction.SWITCH_TO_ON_DEMAND)
                            .allocationStrategy(SpotProvisioningAllocationStrategy.CAPACITY_OPTIMIZED)
                            .build())
                    .build());
        }
        return fleet.build();
    }

    private static List<Tag> tags(EmrSettings s, JobSpec spec) {
        return Tags.forJob(s.job().tags(), spec).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    /** For the run record: what the cluster of this job looks like. */
    static String describe(EmrSettings s, JobSpec spec) {
        int workers = s.job().sizing().workers(spec.bytesToRewrite());
        return "EMR " + s.releaseLabel() + " transient cluster: primary 1x " + s.masterInstanceType() + " on-demand, core 1 on-demand, task "
                + workers + " spot (on-demand after " + s.spotTimeout().toMinutes() + "m) of " + String.join("/", s.workerInstanceTypes());
    }
}

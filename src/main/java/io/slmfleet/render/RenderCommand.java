package io.slmfleet.render;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.Dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.agentroute.RenderedRoutes;
import io.slmfleet.agentroute.ResponseSchema;
import io.slmfleet.agentroute.ResponseSchemas;
import io.slmfleet.agentroute.RouteChildren;
import io.slmfleet.agentroute.RouteDelegations;
import io.slmfleet.agentroute.RouterSettings;
import io.slmfleet.agentroute.RoutingTableRenderer;
import io.slmfleet.agentroute.SchemaRef;
import io.slmfleet.agentroute.ServedTable;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.ConfigMapKeyRef;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.curationjob.CuratedDataSets;
import io.slmfleet.curationjob.CurationPodJob;
import io.slmfleet.curationjob.CurationSettings;
import io.slmfleet.economics.GpuPrices;
import io.slmfleet.evaluationjob.CandidateResolver;
import io.slmfleet.evaluationjob.EvaluationInputs;
import io.slmfleet.evaluationjob.EvaluationPodJob;
import io.slmfleet.evaluationjob.EvaluationSettings;
import io.slmfleet.finetunejob.CuratedDataset;
import io.slmfleet.finetunejob.FineTuneChildren;
import io.slmfleet.finetunejob.FineTuneSettings;
import io.slmfleet.slmspecialist.NimSettings;
import io.slmfleet.slmspecialist.ResolvedAdapters;
import io.slmfleet.slmspecialist.SpecialistChildren;

/**
 * Offline render: prints, as YAML, the objects the operator would apply for the SLM Fleet resources in the given files
 * or directories, built by the same desired-state code the reconcilers use. Other resources in the files (a
 * FineTuneJob's status, say) are read as the cluster the resources would meet. No cluster is contacted.
 */
@Dependent
public class RenderCommand {

    private final OperatorConfig config;

    public RenderCommand(OperatorConfig config) {
        this.config = config;
    }

    public int run(String... paths) {
        return run(List.of(paths), System.out, System.err);
    }

    int run(List<String> paths, PrintStream out, PrintStream err) {
        if (paths.isEmpty()) {
            err.println("usage: render <file or directory>... (YAML or JSON manifests of SLM Fleet resources)");
            return 2;
        }
        List<HasMetadata> input = new ArrayList<>();
        for (String path : paths) {
            try {
                for (Path file : manifestFiles(Path.of(path))) {
                    input.addAll(Manifests.parse(Files.readString(file)));
                }
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                err.println("render: cannot read " + path + ": " + e.getMessage());
                return 1;
            }
        }
        out.print(Manifests.toYaml(render(input, err)));
        return 0;
    }

    /** The children of every SLM Fleet resource in {@code input}, kind by kind; what cannot run is told on {@code err}. */
    List<HasMetadata> render(List<HasMetadata> input, PrintStream err) {
        List<FineTuneJob> jobs = Manifests.ofKind(input, FineTuneJob.class);
        NimSettings nim = NimSettings.from(config);
        FineTuneSettings fineTune = FineTuneSettings.from(config);
        RouterSettings router = RouterSettings.from(config);
        List<HasMetadata> output = new ArrayList<>();
        for (SLMSpecialist specialist : Manifests.ofKind(input, SLMSpecialist.class)) {
            ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, name -> find(jobs, specialist, name));
            output.addAll(SpecialistChildren.desired(specialist, adapters, nim).all());
        }
        List<SLMSpecialist> specialists = Manifests.ofKind(input, SLMSpecialist.class);
        for (AgentRoute route : Manifests.ofKind(input, AgentRoute.class)) {
            Map<SchemaRef, ResponseSchema> schemas = new LinkedHashMap<>();
            for (SchemaRef ref : RoutingTableRenderer.schemaRefs(route)) {
                schemas.put(ref, ResponseSchemas.read(ref, configMap(input, route, ref.configMap()).orElse(null)));
            }
            RenderedRoutes rendered = RoutingTableRenderer.render(route, inNamespaceOf(specialists, route), schemas,
                    RouteDelegations.recordedServings(route));
            rendered.problems().forEach(problem -> err.println("render: AgentRoute " + route.getMetadata().getName()
                    + ": " + problem.reason() + ": " + problem.message()));
            output.addAll(RouteChildren.desired(route, ServedTable.rendered(rendered.table()), rendered.problems().isEmpty(),
                    router).all());
        }
        List<CurationJob> curations = Manifests.ofKind(input, CurationJob.class);
        CurationSettings curation = CurationSettings.from(config);
        for (CurationJob job : curations) {
            output.add(CurationPodJob.desired(job, curation));
        }
        for (FineTuneJob job : jobs) {
            Optional<String> unsupported = FineTuneChildren.unsupported(job, fineTune);
            if (unsupported.isPresent()) {
                err.println("render: FineTuneJob " + job.getMetadata().getName() + " would not run: " + unsupported.get());
                continue;
            }
            FineTuneJob effective = job;
            if (CuratedDataset.isCurated(job)) {
                // The training Job runs once the CurationJob has succeeded; shown here as it will be then.
                Optional<CurationJob> dataSet = inNamespaceOf(curations, job).stream()
                        .filter(candidate -> candidate.getMetadata().getName().equals(job.getSpec().dataset.curationJob))
                        .findFirst();
                if (dataSet.isEmpty()) {
                    err.println("render: FineTuneJob " + job.getMetadata().getName() + " would wait: its CurationJob "
                            + job.getSpec().dataset.curationJob + " is not in the input");
                    continue;
                }
                effective = CuratedDataset.resolve(job, dataSet.get().getSpec().output.volume);
            }
            output.addAll(FineTuneChildren.firstAttempt(effective, fineTune));
        }
        EvaluationSettings evaluation = EvaluationSettings.from(config);
        for (EvaluationJob job : Manifests.ofKind(input, EvaluationJob.class)) {
            evaluationInputs(job, input, curations, specialists, evaluation.gpuPrices(), err)
                    .ifPresent(inputs -> output.add(EvaluationPodJob.desired(job, inputs, evaluation)));
        }
        return output;
    }

    /**
     * What the evaluation Job is built from once its data set is curated and its candidates are Ready, with their
     * adapters Mounted: shown here as it will be then. Secrets are never in the input (users create them), so the
     * ones it references are taken to exist; a candidate or CurationJob missing from the input is told on err.
     */
    private static Optional<EvaluationInputs> evaluationInputs(EvaluationJob job, List<HasMetadata> input,
            List<CurationJob> curations, List<SLMSpecialist> specialists, GpuPrices prices, PrintStream err) {
        EvaluationJobSpec spec = job.getSpec();
        String name = "render: EvaluationJob " + job.getMetadata().getName();
        ClaimPath dataset = spec.dataset.volume;
        if (spec.dataset.curationJob != null) {
            Optional<CurationJob> curation = inNamespaceOf(curations, job).stream()
                    .filter(candidate -> candidate.getMetadata().getName().equals(spec.dataset.curationJob))
                    .findFirst();
            if (curation.isEmpty()) {
                err.println(name + " would wait: its CurationJob " + spec.dataset.curationJob + " is not in the input");
                return Optional.empty();
            }
            dataset = CuratedDataSets.evalFile(curation.get());
        }
        Map<String, SLMSpecialist> ready = new LinkedHashMap<>();
        inNamespaceOf(specialists, job).forEach(specialist -> ready.put(specialist.getMetadata().getName(),
                asReady(specialist)));
        Map<String, AgentRoute> routes = new LinkedHashMap<>();
        inNamespaceOf(Manifests.ofKind(input, AgentRoute.class), job)
                .forEach(route -> routes.put(route.getMetadata().getName(), route));
        CandidateResolver.Resolution resolution = CandidateResolver.resolve(job, new CandidateResolver.Observation(ready,
                routes, CandidateResolver.secretNames(job, routes)), prices);
        if (!resolution.resolved()) {
            err.println(name + " would wait: " + resolution.reason() + ": " + String.join("; ", resolution.problems()));
            return Optional.empty();
        }
        ConfigMapKeyRef schema = spec.scoring.responseSchema == null ? null : spec.scoring.responseSchema.configMapRef;
        return Optional.of(new EvaluationInputs(dataset.claimName, dataset.path, resolution.candidates(), schema));
    }

    /** The specialist as the cluster will report it once served: Ready, every adapter it lists Mounted. */
    private static SLMSpecialist asReady(SLMSpecialist specialist) {
        SLMSpecialist ready = new SLMSpecialist();
        ready.setMetadata(specialist.getMetadata());
        ready.setSpec(specialist.getSpec());
        SLMSpecialistStatus status = new SLMSpecialistStatus();
        status.phase = SLMSpecialistStatus.Phase.Ready;
        specialist.getSpec().adapters.forEach(adapter -> status.adapters.add(new AdapterStatus(adapter.name, null,
                AdapterStatus.State.Mounted, null)));
        ready.setStatus(status);
        return ready;
    }

    private static Optional<FineTuneJob> find(List<FineTuneJob> jobs, HasMetadata near, String name) {
        return inNamespaceOf(jobs, near).stream().filter(job -> job.getMetadata().getName().equals(name)).findFirst();
    }

    private static <T extends HasMetadata> List<T> inNamespaceOf(List<T> objects, HasMetadata near) {
        return objects.stream()
                .filter(object -> Objects.equals(object.getMetadata().getNamespace(), near.getMetadata().getNamespace()))
                .toList();
    }

    private static Optional<ConfigMap> configMap(List<HasMetadata> input, HasMetadata near, String name) {
        return inNamespaceOf(Manifests.ofKind(input, ConfigMap.class), near).stream()
                .filter(configMap -> configMap.getMetadata().getName().equals(name))
                .findFirst();
    }

    private static List<Path> manifestFiles(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted()
                    .toList();
        }
    }
}

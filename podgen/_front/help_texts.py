"""The examples and notes under each command's --help.

Each paragraph starts with Click's no-rewrap marker, so its lines stay as written.
"""

from podgen._model.versions import NEWEST, SUPPORTED

NEW_EPILOG = """\b
Examples:
  # The Pod that `kubectl run web --image nginx:1.25.3 --port 80 --dry-run=client -o yaml` prints
  podgen new web --image nginx:1.25.3 --port 80

\b
  # The same Pod plus a ClusterIP Service for it, as JSON
  podgen new web --image nginx:1.25.3 --port 80 --expose -o json

\b
  # A Pod's words after -- become its args, or its command with --command
  podgen new job --image busybox:1.36 --restart Never --command -- sh -c 'echo hello'

\b
  # A Deployment, as `kubectl create deployment web --image nginx --replicas 3` prints it
  podgen new web --image nginx:1.25.3 --kind deployment --replicas 3

\b
  # A CronJob, as `kubectl create cronjob` prints it; the words after -- are the command
  podgen new backup --image postgres:16 --kind cronjob --schedule '0 2 * * *' -- pg_dumpall

\b
  # A StatefulSet with a 10Gi claim per pod, and its headless Service
  podgen new db --image postgres:16.4 --kind statefulset --port 5432 \\
    --volume-claim data=10Gi:/var/lib/postgresql/data

\b
  # For a cluster on Kubernetes 1.29: a field 1.29 does not have is refused, naming it
  podgen new batch --image busybox:1.36 --kind job --k8s-version 1.29 -- sh -c 'echo hi'
"""


SCAFFOLD_EPILOG = """\b
Examples:
  # A project for nginx with http probes, in ./web
  podgen scaffold web --image nginx:1.25.3 --port 80 --probe http

\b
  # From a built-in blueprint, into ~/src
  podgen scaffold shop --from mysql --output-dir ~/src

\b
  # For clusters on Kubernetes 1.30 (podgen.yaml: kubernetesVersion)
  podgen scaffold web --image nginx:1.25.3 --k8s-version 1.30

\b
The project: blueprint.yaml, k8s/ (rendered), README.md, Makefile, .pre-commit-config.yaml,
and editor files that start `podgen lsp`: .vscode/ (tasks, settings, extensions),
.helix/languages.toml, .nvim.lua. Every flag of `podgen new` works here too.
"""


RENDER_EPILOG = """\b
Examples:
  # In a project (podgen.yaml here or above): every environment into its folder
  podgen render
  podgen render --check
  podgen render --env prod

\b
  # A built-in blueprint (see `podgen blueprints`)
  podgen render nginx-web

\b
  # Every blueprint under a folder, one file per object (and a kustomization.yaml) in k8s/
  podgen render blueprints/ --out k8s/

\b
  # Fail (exit 1) if k8s/ is not what the blueprints render to now
  podgen render blueprints/ --out k8s/ --check

\b
  # From standard input, as JSON
  cat app.yaml | podgen render - -o json

\b
  # Custom resources under objects: checked with their CRDs (a file or a folder; CRDs
  # beside the blueprint and podgen.yaml's crds: are used without it)
  podgen render app.yaml --crd crds/

\b
  # For a cluster on Kubernetes 1.30 (a project says it in podgen.yaml: kubernetesVersion)
  podgen render app.yaml --k8s-version 1.30
"""


VALIDATE_EPILOG = f"""\b
Examples:
  podgen validate              # the project (podgen.yaml, here or above)
  podgen validate pod.yaml
  podgen validate k8s/ --strict
  podgen validate podgen.yaml  # a project file: every environment, rendered in memory
  kubectl get pod web -o yaml | podgen validate -
  podgen validate k8s/ --format json
  podgen validate --skip-other-yaml $(git ls-files '*.yaml')   # as the pre-commit hook
  podgen validate k8s/ --crd crds/ --crd vendor/certificates.yaml  # custom resources too
  podgen validate k8s/ --k8s-version 1.31   # for the release the cluster runs

\b
A bare `podgen validate` checks the project's blueprints, what each of its environments
renders to (an error names its line in podgen.yaml, as `podgen render` would fail), and the
manifests under its `out` folder.

\b
Files that a kustomization (kustomization.yaml, kustomization.yml or Kustomization in the
file's folder or above) names as patches, generator inputs or other non-resources are not
objects: they are skipped. --skip-other-yaml also skips YAML with no document holding
apiVersion or kind (CI workflows, compose files); YAML that does not parse is still an
error. The summary counts the files skipped.

\b
Custom resources are checked with their CustomResourceDefinitions: those among the inputs
(in any order), --crd files and folders, and podgen.yaml's crds:. One whose CRD podgen was
not given gets a kind-unchecked warning.

\b
--k8s-version X.Y checks against the schema of that release ({SUPPORTED[0]} to {NEWEST}; by
default the kubernetesVersion of the project a file is in, its podgen.yaml in the file's folder
or above, else the newest): a field or kind a later release added is an error naming that
release, as strict apply on a cluster of the older release refuses it.

\b
Exit codes: 0 clean, 1 an error (or, with --strict, a warning), 2 input that cannot be read.
"""

IMPORT_EPILOG = """\b
Examples:
  kubectl get pod web -o yaml | podgen import - > web.yaml
  podgen import k8s/*.yaml > app.yaml
  podgen import k8s/ > app.yaml   # every manifest below the folder
  kubectl get all -o yaml | podgen import - > app.yaml   # what controllers make is left out
  podgen import statefulset.yaml -o kyaml > db.yaml
  podgen import k8s/certificates.yaml --crd crds/ > certs.yaml   # custom resources checked
  podgen import k8s/ --k8s-version 1.30 > app.yaml   # checked for a 1.30 cluster
"""

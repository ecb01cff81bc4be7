#!/usr/bin/env bash
# Rolls PontePA out to one environment: migrations first (the Job must complete), then the roles.
# Usage: infra/deploy/k8s/rollout.sh staging|production   (kubectl pointing at the cluster)
set -euo pipefail
env=${1:?usage: rollout.sh staging|production}
overlay="$(dirname "$0")/overlays/$env"
ns=$(kubectl kustomize "$overlay" | awk '/^  namespace:/ { print $2; exit }')

# A Job's pod template cannot change in place: replace the previous run's Job.
kubectl -n "$ns" delete job pontepa-migrate --ignore-not-found
kubectl apply -k "$overlay" -l app.kubernetes.io/component=migrate
kubectl -n "$ns" wait --for=condition=complete job/pontepa-migrate --timeout=15m
kubectl apply -k "$overlay"
for role in soap api worker scheduler; do kubectl -n "$ns" rollout status "deployment/pontepa-$role" --timeout=10m; done

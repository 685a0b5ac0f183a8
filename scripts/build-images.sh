#!/usr/bin/env bash
# Builds the training images the operator's defaults name, one per images/chainermn/<tag>/Dockerfile, as
# REGISTRY/chainermn:<tag>, and with --push pushes them. Point the operator at them with the Helm value
# trainingImages.registry=REGISTRY (operator configuration: trainingImageRegistry).
#
#   scripts/build-images.sh REGISTRY [--push] [--only TAG]... [--dry-run]
#
#   REGISTRY   where the images go: a registry host with an optional path (myregistry.azurecr.io,
#              ghcr.io/my-org, localhost:5000/chainer); chainer-operator gives the defaults' own names, for a
#              cluster that loads local images (kind load docker-image, minikube image load)
#   --push     push each image after building it (log in first: docker login REGISTRY)
#   --only TAG build only that tag (repeatable), e.g. --only 7.0.0-cpu
#   --dry-run  print the docker commands instead of running them
#
# Needs docker, or a docker-compatible CLI named in $DOCKER (DOCKER=podman).
# The images are built for linux/amd64, the only platform CuPy's CUDA wheels exist for.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

registry="" push=false dry_run=false only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --push) push=true ;;
    --dry-run) dry_run=true ;;
    --only) [ $# -ge 2 ] || usage; only+=("$2"); shift ;;
    -h|--help) usage 0 ;;
    -*) echo "unknown option: $1" >&2; usage ;;
    *) [ -z "$registry" ] || usage; registry="${1%/}" ;;
  esac
  shift
done
[ -n "$registry" ] || { echo "REGISTRY is required" >&2; usage; }

docker="${DOCKER:-docker}"
run() {
  if $dry_run; then echo "$*"; else "$@"; fi
}

context=images/chainermn
tags=()
for dockerfile in "$context"/*/Dockerfile; do
  tags+=("$(basename "$(dirname "$dockerfile")")")
done
for tag in "${only[@]+"${only[@]}"}"; do
  [ -f "$context/$tag/Dockerfile" ] || { echo "no image $tag (have: ${tags[*]})" >&2; exit 2; }
done

for tag in "${tags[@]}"; do
  if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $tag "* ]]; then
    continue
  fi
  image="$registry/chainermn:$tag"
  echo "== $image" >&2
  run "$docker" build --platform linux/amd64 -f "$context/$tag/Dockerfile" -t "$image" "$context"
  if $push; then
    run "$docker" push "$image"
  fi
done

#!/usr/bin/env bash
# Installs the avere Terraform provider (hashicorp/avere) where `terraform init` finds it.
#
# hashicorp/avere is not on the Terraform Registry: Microsoft publishes the Linux amd64 binary as the asset
# `terraform-provider-avere` of the GitHub release `tfprovider_v<version>` of Azure/Avere, and publishes no
# checksum for it. The operator pins both: AVERE_PROVIDER_VERSION and the SHA-256 of the binary they reviewed
# (AVERE_PROVIDER_SHA256). The binary goes into Terraform's implied local mirror,
#   <plugin dir>/registry.terraform.io/hashicorp/avere/<version>/linux_amd64/terraform-provider-avere_v<version>
# (<plugin dir> = $HOME/.terraform.d/plugins), which `terraform init` searches before the registry.
#
# Usage: install-avere-provider.sh [--dry-run] [--binary FILE] [--plugin-dir DIR]
#   --dry-run      no network and nothing installed: prints the URL and the destination and, with --binary,
#                  checks that file against the pinned checksum (what the tests run)
#   --binary FILE  verify and install FILE instead of downloading (an already downloaded or mirrored binary)
#   --plugin-dir   the plugin directory (default $HOME/.terraform.d/plugins)
set -euo pipefail

dry_run=0
binary=''
plugin_dir="${HOME:-}/.terraform.d/plugins"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --binary)
      binary="${2:?--binary needs a file}"
      shift
      ;;
    --plugin-dir)
      plugin_dir="${2:?--plugin-dir needs a directory}"
      shift
      ;;
    *)
      echo "install-avere-provider: unknown argument $1" >&2
      exit 2
      ;;
  esac
  shift
done

version="${AVERE_PROVIDER_VERSION:-}"
sha256="${AVERE_PROVIDER_SHA256:-}"
fail() {
  echo "install-avere-provider: $*" >&2
  exit 1
}
# The binding (src/providers/avere) requires ~> 1.3.
[[ "$version" =~ ^1\.([3-9]|[1-9][0-9])\.[0-9]+$ ]] ||
  fail "AVERE_PROVIDER_VERSION=\"$version\" is not a 1.x version >= 1.3 (the binding's constraint ~> 1.3), e.g. 1.3.3"
[[ "$sha256" =~ ^[0-9a-f]{64}$ ]] ||
  fail "AVERE_PROVIDER_SHA256 must be the 64-hex-digit SHA-256 of the release binary; Microsoft publishes none: download it once, review it, and pin its sha256sum"

url="https://github.com/Azure/Avere/releases/download/tfprovider_v${version}/terraform-provider-avere"
dest_dir="${plugin_dir}/registry.terraform.io/hashicorp/avere/${version}/linux_amd64"
dest="${dest_dir}/terraform-provider-avere_v${version}"

verify() {
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  [ "$actual" = "$sha256" ] || fail "checksum mismatch for $url: got $actual, pinned AVERE_PROVIDER_SHA256 is $sha256; refusing to install"
}

if [ "$dry_run" = 1 ]; then
  echo "dry run: would download $url"
  echo "dry run: would install to $dest"
  if [ -n "$binary" ]; then
    verify "$binary"
    echo "dry run: $binary matches the pinned SHA-256"
  fi
  exit 0
fi

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
if [ -n "$binary" ]; then
  cp "$binary" "$tmp"
else
  curl --fail --silent --show-error --location --retry 3 --output "$tmp" "$url"
fi
verify "$tmp"
mkdir -p "$dest_dir"
install -m 0755 "$tmp" "$dest"
echo "installed hashicorp/avere $version at $dest (sha256 $sha256)"

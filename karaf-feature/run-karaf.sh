#!/usr/bin/env bash
# Starts a Karaf 4.4.10 with Warden and the demo distributor (feature warden-demo) installed, in the foreground (type "logout" or Ctrl-D to stop).
# Needs a build first (mvn -B verify, or mvn -B install -DskipTests): it takes the Karaf
# distribution and Warden's artifacts from the local Maven repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$here/../pom.xml" | head -1)
repo=${MAVEN_REPO:-$HOME/.m2/repository}
tgz="$repo/org/apache/karaf/apache-karaf/4.4.10/apache-karaf-4.4.10.tar.gz"
features="$repo/org/warden/warden-karaf-feature/$version/warden-karaf-feature-$version-features.xml"
[ -f "$tgz" ] || { echo "Karaf 4.4.10 is not in $repo: run 'mvn -B install -DskipTests' first" >&2; exit 1; }
[ -f "$features" ] || { echo "Warden $version is not installed in $repo: run 'mvn -B install -DskipTests' first" >&2; exit 1; }

home="$here/target/karaf"
rm -rf "$home" && mkdir -p "$home"
tar -xzf "$tgz" -C "$home" --strip-components=1
# Boot with Warden and its demo distributor (a live simulated network): add the features repository and
# the features to Karaf's boot list.
cfg="$home/etc/org.apache.karaf.features.cfg"
sed -i "s#^featuresRepositories = \\\\#featuresRepositories = mvn:org.warden/warden-karaf-feature/$version/xml/features, \\\\#" "$cfg"
sed -i "s#^\\(featuresBoot = \\\\\\)#\\1\n    warden, warden-demo, \\\\#" "$cfg"
# A small example network to import, next to the demo's live one.
mkdir -p "$home/data/warden/exports"
cp "$here/demo-workers.json" "$home/data/warden/exports/demo-workers.json"
echo "Karaf with Warden $version in $home."
echo "Try: warden:network, warden:workers, warden:demo (the demo distributor's counters), hc:exec -v warden"
exec "$home/bin/karaf"

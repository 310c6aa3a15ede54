#!/usr/bin/env bash
# Lays out the offline bundle's directory; `mvn -B package -Pbundle -DskipTests` runs it (see the README,
# "Upgrade from a host without internet"), then zips the directory.
#
# The bundle's Maven repository is filled by running the documented commands themselves, through the bundle's own
# wrapper and Maven, on a throw-away H2 rehearsal database and as offline updateSQL for every engine profile: what
# those runs resolve is exactly what the same commands resolve on the air-gapped host, including the plugins the
# bundled Maven version binds to the lifecycle, which a hand-written artifact list would miss.
#
# Arguments: project directory, bundle directory (created afresh), directory holding the Maven distribution zip
# and the unpacked maven-wrapper distribution (the pom's maven-dependency-plugin puts them there), Maven version.
set -euo pipefail

project=$1
bundle=$2
downloads=$3
maven_version=$4

log() { printf '[offline-bundle] %s\n' "$*"; }

rm -rf "$bundle"
mkdir -p "$bundle/.mvn/wrapper"

# What an upgrade run reads: the pom, changelogs, connection profiles, the sources (so `compile` works) and the docs.
for part in pom.xml README.md changelogs profiles docs src/main .mvn/jvm.config; do
  mkdir -p "$(dirname "$bundle/$part")"
  cp -R "$project/$part" "$bundle/$part"
done

# Maven wrapper (script + launcher jar) and, beside its properties, the Maven distribution it installs. A
# distributionUrl without a scheme is resolved by the wrapper's launcher against the properties file's directory
# (maven-wrapper 3.3.x WrapperExecutor.prepareDistributionUri), so no network is involved; the SHA-256 stops a
# damaged copy from being unpacked.
cp -R "$downloads/wrapper/." "$bundle/"
chmod 755 "$bundle/mvnw"
rm -f "$bundle/mvnwDebug" "$bundle/mvnwDebug.cmd"
distribution="apache-maven-$maven_version-bin.zip"
cp "$downloads/$distribution" "$bundle/.mvn/wrapper/$distribution"
wrapper_version=$(unzip -p "$bundle/.mvn/wrapper/maven-wrapper.jar" META-INF/maven/org.apache.maven.wrapper/maven-wrapper/pom.properties \
  | sed -n 's/^version=//p')
cat >"$bundle/.mvn/wrapper/maven-wrapper.properties" <<EOF
wrapperVersion=$wrapper_version
distributionType=bin
distributionUrl=$distribution
distributionSha256Sum=$(sha256sum "$bundle/.mvn/wrapper/$distribution" | cut -d' ' -f1)
EOF

repository="$bundle/repository"
work="$(dirname "$bundle")/work"
rm -rf "$work"
mkdir -p "$work"
# The wrapper unpacks Maven under MAVEN_USER_HOME; keep that out of the builder's own ~/.m2.
export MAVEN_USER_HOME="$work/maven-user-home"
unset MAVEN_ARGS MAVEN_CONFIG || true

mvnw() {
  log "./mvnw $*"
  (cd "$bundle" && ./mvnw -B -Dmaven.repo.local="$repository" "$@") >>"$work/populate.log" 2>&1 || {
    tail -n 60 "$work/populate.log" >&2
    log "FAILED: ./mvnw $* (full log: $work/populate.log)"
    exit 1
  }
}

# The rehearsal and update on H2 (the README's first command), then every other documented command on that database.
mvnw clean compile exec:java liquibase:update -Dcarbon.upgrade.backup=none-rehearsal-copy
mvnw compile exec:java@verify
# The README's review and housekeeping goals. Maven resolves a plugin's artifacts once per run, the same for any of
# its goals, so one run holding all four fills the repository exactly as four runs of one goal each do (a bundle
# built either way has the same files), in a fraction of the time.
mvnw liquibase:updateSQL liquibase:status -Dliquibase.verbose=true liquibase:history liquibase:releaseLocks
# Every engine profile with the Identity Server profile: the Liquibase plugin gets that engine's JDBC driver, and
# Maven resolves a plugin's whole classpath the first time any of its goals runs. updateSQL with an offline: URL
# needs no server. PostgreSQL's offline updateSQL stops in Liquibase 4.33.0 (its sequenceExists check casts the
# OfflineConnection to a JdbcConnection), so there validate, which needs no server either, resolves the same classpath.
for engine in h2 mysql mssql oracle; do
  mvnw compile liquibase:updateSQL -P"$engine",is "-Dliquibase.url=offline:$engine?changeLogFile=target/offline-$engine.csv"
done
mvnw compile liquibase:validate -Ppostgresql,is "-Dliquibase.url=offline:postgresql?changeLogFile=target/offline-postgresql.csv"
# Leave compiled classes and nothing else of the runs (no rehearsal database, no generated SQL).
mvnw clean compile

# Files that tie artifacts to the repository id they came from (a mirror's id on a host with one) would make an
# offline Maven on the target host reject them; without them the artifacts count as installed locally.
find "$repository" \( -name _remote.repositories -o -name '*.lastUpdated' -o -name resolver-status.properties \) -delete

# Every ./mvnw command run from the bundle's directory uses the bundle's repository unless told otherwise.
printf '%s\n' '-Dmaven.repo.local=repository' >"$bundle/.mvn/maven.config"

log "bundle laid out in $bundle ($(du -sh "$repository" | cut -f1) repository)"

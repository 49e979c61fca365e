# syntax=docker/dockerfile:1
# planguard in a container: `docker run --rm -v "$PWD:/work" -w /work IMAGE check tfplan.json`.
# Build: docker build -t planguard .   (add --build-arg TERRAFORM_VERSION=1.9.8 for terraform too)

FROM rust:1-slim-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p planguard-cli \
    && strip target/release/planguard

FROM debian:bookworm-slim
# Empty: no terraform. A version (e.g. 1.9.8) installs HashiCorp's release zip, its checksum
# verified against the published SHA256SUMS.
ARG TERRAFORM_VERSION=""
ARG TARGETARCH=amd64
RUN set -eu; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates; \
    if [ -n "$TERRAFORM_VERSION" ]; then \
      apt-get install -y --no-install-recommends curl unzip; \
      base="https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}"; \
      zip="terraform_${TERRAFORM_VERSION}_linux_${TARGETARCH}.zip"; \
      cd /tmp; \
      curl -fsSLO "$base/$zip"; \
      curl -fsSL "$base/terraform_${TERRAFORM_VERSION}_SHA256SUMS" | grep " ${zip}\$" | sha256sum -c -; \
      unzip -q "$zip" -d /usr/local/bin; \
      rm -f "$zip"; \
      apt-get purge -y curl unzip; apt-get autoremove -y; \
    fi; \
    rm -rf /var/lib/apt/lists/*; \
    useradd --create-home --uid 10001 planguard
COPY --from=builder /src/target/release/planguard /usr/local/bin/planguard
USER planguard
WORKDIR /work
ENTRYPOINT ["planguard"]
CMD ["--help"]

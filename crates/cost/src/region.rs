//! Which AWS regions exist, and which partition they belong to: a region missing from the
//! catalog is priced at the fallback region's prices only when it is a real commercial region
//! (flagged approximate); a name that is no region, or a region of another partition (China,
//! GovCloud, the isolated and sovereign clouds, with their own prices and, for China, their
//! own currency), is never priced as us-east-1.

/// What a region name is, for pricing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AwsRegion {
    /// A region of the commercial `aws` partition (priced in USD from the catalog).
    Commercial,
    /// A region of another partition: its prices are not the commercial ones.
    OtherPartition(&'static str),
    /// Not an AWS region.
    NotARegion,
}

/// Regions of the commercial partition (AWS's published region list, 2025).
const COMMERCIAL: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Region name prefixes of the other partitions, with what they are.
const OTHER_PARTITIONS: &[(&str, &str)] = &[
    (
        "cn-",
        "the AWS China partition (prices in CNY, sold by local operators)",
    ),
    ("us-gov-", "AWS GovCloud (US), with its own prices"),
    ("us-iso-", "an AWS isolated (ISO) partition, with its own prices"),
    ("us-isob-", "an AWS isolated (ISO-B) partition, with its own prices"),
    ("eu-isoe-", "an AWS isolated (ISO-E) partition, with its own prices"),
    ("us-isof-", "an AWS isolated (ISO-F) partition, with its own prices"),
    ("eusc-", "the AWS European Sovereign Cloud, with its own prices"),
];

pub(crate) fn classify_aws(region: &str) -> AwsRegion {
    if COMMERCIAL.contains(&region) {
        return AwsRegion::Commercial;
    }
    for (prefix, what) in OTHER_PARTITIONS {
        if let Some(rest) = region.strip_prefix(prefix) {
            // `cn-north-1`, `us-gov-west-1`, `eusc-de-east-1`: a direction and a number.
            let mut parts = rest.split('-');
            let well_formed = parts.clone().count() >= 2
                && parts
                    .next_back()
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()));
            if well_formed {
                return AwsRegion::OtherPartition(what);
            }
        }
    }
    AwsRegion::NotARegion
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions() {
        assert_eq!(classify_aws("eu-south-1"), AwsRegion::Commercial);
        assert_eq!(classify_aws("us-east-1"), AwsRegion::Commercial);
        assert!(matches!(classify_aws("cn-north-1"), AwsRegion::OtherPartition(w) if w.contains("China")));
        assert!(matches!(classify_aws("cn-northwest-1"), AwsRegion::OtherPartition(_)));
        assert!(matches!(classify_aws("us-gov-west-1"), AwsRegion::OtherPartition(w) if w.contains("GovCloud")));
        assert_eq!(classify_aws("xx-fake-9"), AwsRegion::NotARegion);
        assert_eq!(classify_aws("cn-"), AwsRegion::NotARegion);
        assert_eq!(classify_aws("us-east-1a"), AwsRegion::NotARegion);
        assert_eq!(classify_aws(""), AwsRegion::NotARegion);
    }
}

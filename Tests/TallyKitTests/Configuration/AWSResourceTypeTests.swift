import Testing

@testable import TallyKit

/// Resource ids as bills write them, and the `service:type` an AWS tag policy names them by.
@Suite struct AWSResourceTypeTests {
  @Test(arguments: [
    ("arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", "", "ec2:instance"),
    ("arn:aws:rds:us-east-1:111122223333:db:orders", "", "rds:db"),
    ("arn:aws:dynamodb:us-east-1:111122223333:table/Orders", "", "dynamodb:table"),
    ("arn:aws:s3:::logs-bucket", "", "s3:bucket"),
    ("arn:aws:sqs:us-east-1:111122223333:jobs", "", "sqs:queue"),
    ("arn:aws:kms:us-east-1:111122223333:alias", "", "kms:"),
    ("i-0abc123", "", "ec2:instance"),
    ("vol-0abc", "Amazon Elastic Compute Cloud", "ec2:volume"),
    ("vpce-0abc", "", "ec2:vpc-endpoint"),
    ("vpc-0abc", "", "ec2:vpc"),
    ("logs-bucket", "Amazon Simple Storage Service", "s3:bucket"),
    ("logs-bucket", "Amazon CloudFront", ""),
    ("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", "", ""),
  ])
  func derivesTheType(resource: String, service: String, expected: String) {
    #expect(AWSResourceType.of(resourceID: resource, service: service) == expected)
  }

  @Test func matchesEnforcedForEntries() {
    #expect(AWSResourceType.matches("ec2:instance", ["ec2:instance"]))
    #expect(AWSResourceType.matches("ec2:volume", ["ec2:*"]))
    #expect(AWSResourceType.matches("ec2:volume", ["EC2:ALL_SUPPORTED"]))
    #expect(!AWSResourceType.matches("ec2:volume", ["ec2:instance", "s3:*"]))
    #expect(AWSResourceType.matches("kms:", ["kms:*"]))
    #expect(!AWSResourceType.matches("", ["ec2:*"]))
  }

  @Test func checksEntries() {
    #expect(AWSResourceType.problem(with: "ec2:instance") == nil)
    #expect(AWSResourceType.problem(with: "ec2") != nil)
    #expect(AWSResourceType.problem(with: "*:*") != nil)
  }
}

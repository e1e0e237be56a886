/// The XML Schema of the reports provsim writes.
///
/// It is the intersection of what Jenkins (`junit-10.xsd`) and Ant (windyroad `JUnit.xsd`) accept,
/// so a report valid here is valid for both:
/// - `<testsuites>` carries no attributes (Ant declares none);
/// - every suite has `name package id tests failures errors skipped time timestamp hostname`, then
///   `<properties>`, the `<testcase>`s, `<system-out>` and `<system-err>` in this order (Ant);
/// - `time` has at most three decimals (Jenkins' SUREFIRE_TIME) and `timestamp` no zone (Ant);
/// - a case has at most one of `<failure>`, `<error>`, `<skipped>` and no output of its own (Ant);
/// - `classname` + `name` are unique across the report (provsim's own rule, so CI histories line up).
public enum JUnitSchema {
    public static let xsd = #"""
    <?xml version="1.0" encoding="UTF-8"?>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
      <xs:simpleType name="seconds">
        <xs:restriction base="xs:decimal">
          <xs:pattern value="[0-9]+(\.[0-9]{1,3})?"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="timestamp">
        <xs:restriction base="xs:dateTime">
          <xs:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="nonEmptyToken">
        <xs:restriction base="xs:token">
          <xs:minLength value="1"/>
        </xs:restriction>
      </xs:simpleType>
      <xs:complexType name="problem">
        <xs:simpleContent>
          <xs:extension base="xs:string">
            <xs:attribute name="message" type="xs:string" use="required"/>
            <xs:attribute name="type" type="xs:string" use="required"/>
          </xs:extension>
        </xs:simpleContent>
      </xs:complexType>
      <xs:complexType name="testsuite">
        <xs:sequence>
          <xs:element name="properties">
            <xs:complexType>
              <xs:sequence>
                <xs:element name="property" minOccurs="0" maxOccurs="unbounded">
                  <xs:complexType>
                    <xs:attribute name="name" type="nonEmptyToken" use="required"/>
                    <xs:attribute name="value" type="xs:string" use="required"/>
                  </xs:complexType>
                </xs:element>
              </xs:sequence>
            </xs:complexType>
          </xs:element>
          <xs:element name="testcase" minOccurs="0" maxOccurs="unbounded">
            <xs:complexType>
              <xs:choice minOccurs="0">
                <xs:element name="failure" type="problem"/>
                <xs:element name="error" type="problem"/>
                <xs:element name="skipped">
                  <xs:complexType>
                    <xs:simpleContent>
                      <xs:extension base="xs:string">
                        <xs:attribute name="message" type="xs:string" use="required"/>
                      </xs:extension>
                    </xs:simpleContent>
                  </xs:complexType>
                </xs:element>
              </xs:choice>
              <xs:attribute name="name" type="nonEmptyToken" use="required"/>
              <xs:attribute name="classname" type="nonEmptyToken" use="required"/>
              <xs:attribute name="time" type="seconds" use="required"/>
            </xs:complexType>
          </xs:element>
          <xs:element name="system-out" type="xs:string"/>
          <xs:element name="system-err" type="xs:string"/>
        </xs:sequence>
        <xs:attribute name="name" type="nonEmptyToken" use="required"/>
        <xs:attribute name="package" type="nonEmptyToken" use="required"/>
        <xs:attribute name="id" type="xs:nonNegativeInteger" use="required"/>
        <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
        <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
        <xs:attribute name="errors" type="xs:nonNegativeInteger" use="required"/>
        <xs:attribute name="skipped" type="xs:nonNegativeInteger" use="required"/>
        <xs:attribute name="time" type="seconds" use="required"/>
        <xs:attribute name="timestamp" type="timestamp" use="required"/>
        <xs:attribute name="hostname" type="nonEmptyToken" use="required"/>
      </xs:complexType>
      <xs:element name="testsuites">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="testsuite" type="testsuite" minOccurs="0" maxOccurs="unbounded"/>
          </xs:sequence>
        </xs:complexType>
        <xs:unique name="uniqueTestCase">
          <xs:selector xpath="testsuite/testcase"/>
          <xs:field xpath="@classname"/>
          <xs:field xpath="@name"/>
        </xs:unique>
        <xs:unique name="uniqueSuiteId">
          <xs:selector xpath="testsuite"/>
          <xs:field xpath="@id"/>
        </xs:unique>
      </xs:element>
    </xs:schema>
    """#
}

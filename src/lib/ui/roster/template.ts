/** The CSV template's header row: the column names the import reads (UTF-8 with BOM for Excel). */
export const TEMPLATE_HEADER = [
	'学籍号',
	'姓名',
	'性别',
	'出生日期',
	'身份证号',
	'学校',
	'年级',
	'班级',
	'户籍地',
	'居住地',
	'监护人',
	'电话',
	'重点群体'
] as const;
